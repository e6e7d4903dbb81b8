package org.homeward.cases;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a person enters to open or edit a case. {@link #validate} checks every rule and names each
 * broken one after its field, so the page can show it beside the field and the API in its problem.
 */
public record CaseForm(String childName, List<String> aliases, Sex sex, LocalDate birthDate,
        LocalDate birthDateEarliest, LocalDate birthDateLatest, LocalDate lastSeenDate, String lastSeenPlace,
        String circumstances, String distinguishingMarks, String unit, Long version) {

    static final int NAME_MAX = 200;
    static final int TEXT_MAX = 4000;

    public Map<String, String> validate() {
        Map<String, String> errors = new LinkedHashMap<>();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        if (childName == null || childName.isBlank()) {
            errors.put("childName", "The child's name is required.");
        } else if (childName.length() > NAME_MAX) {
            errors.put("childName", "The name is longer than " + NAME_MAX + " characters.");
        }
        if (aliases != null) {
            if (aliases.size() > 20) {
                errors.put("aliases", "At most 20 aliases.");
            } else if (aliases.stream().anyMatch(a -> a != null && a.length() > NAME_MAX)) {
                errors.put("aliases", "An alias is longer than " + NAME_MAX + " characters.");
            }
        }
        if (birthDate != null && (birthDateEarliest != null || birthDateLatest != null)) {
            errors.put("birthDate", "Give either the exact date of birth or an estimated range, not both.");
        }
        if ((birthDateEarliest == null) != (birthDateLatest == null)) {
            errors.put("birthDateEarliest", "An estimated date of birth needs both the earliest and the latest date.");
        }
        if (birthDateEarliest != null && birthDateLatest != null && birthDateEarliest.isAfter(birthDateLatest)) {
            errors.put("birthDateEarliest", "The earliest date of birth is after the latest.");
        }
        future(errors, "birthDate", birthDate, today);
        future(errors, "birthDateEarliest", birthDateEarliest, today);
        future(errors, "birthDateLatest", birthDateLatest, today);
        future(errors, "lastSeenDate", lastSeenDate, today);
        LocalDate bornBy = birthDate != null ? birthDate : birthDateEarliest;
        if (lastSeenDate != null && bornBy != null && lastSeenDate.isBefore(bornBy)) {
            errors.put("lastSeenDate", "The child was last seen before they were born.");
        }
        length(errors, "lastSeenPlace", lastSeenPlace, NAME_MAX);
        length(errors, "circumstances", circumstances, TEXT_MAX);
        length(errors, "distinguishingMarks", distinguishingMarks, TEXT_MAX);
        return errors;
    }

    private static void future(Map<String, String> errors, String field, LocalDate date, LocalDate today) {
        if (date != null && date.isAfter(today) && !errors.containsKey(field)) {
            errors.put(field, "The date " + date + " is in the future.");
        }
    }

    private static void length(Map<String, String> errors, String field, String value, int max) {
        if (value != null && value.length() > max) {
            errors.put(field, tooLong(value, max));
        }
    }

    /** The message beside a text field that is too long: how long it is, and what it may be. */
    static String tooLong(String value, int max) {
        return "This text has " + value.length() + " characters; at most " + max + " are kept. Shorten it and save again.";
    }

    /**
     * Text from a page's textarea with its line breaks as one character each: browsers send a typed line break as
     * CR LF, which would make a text the field let a person type count longer on the server than in the field.
     */
    static String lines(String value) {
        return value == null ? null : value.replace("\r\n", "\n");
    }

    static String trimmed(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
