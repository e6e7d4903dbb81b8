package org.homeward.cases;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestForm;

/**
 * The case form as the browser posts it: every value a string, so a mistyped date comes back to the
 * person with their input intact and a message beside the field.
 */
public class CaseFormFields {

    @RestForm public String childName;
    @RestForm public String aliases;
    @RestForm public String sex;
    @RestForm public String birthDate;
    @RestForm public String birthDateEarliest;
    @RestForm public String birthDateLatest;
    @RestForm public String lastSeenDate;
    @RestForm public String lastSeenPlace;
    @RestForm public String circumstances;
    @RestForm public String distinguishingMarks;
    @RestForm public String unit;
    @RestForm public String version;

    static CaseFormFields empty() {
        CaseFormFields f = new CaseFormFields();
        f.sex = "unknown";
        return f;
    }

    static CaseFormFields of(CaseDetail c) {
        CaseFormFields f = new CaseFormFields();
        f.childName = c.childName();
        f.aliases = String.join(", ", c.aliases());
        f.sex = c.sex().name();
        f.birthDate = str(c.birthDate());
        f.birthDateEarliest = str(c.birthDateEarliest());
        f.birthDateLatest = str(c.birthDateLatest());
        f.lastSeenDate = str(c.lastSeenDate());
        f.lastSeenPlace = c.lastSeenPlace();
        f.circumstances = c.circumstances();
        f.distinguishingMarks = c.distinguishingMarks();
        f.unit = c.unit();
        f.version = String.valueOf(c.version());
        return f;
    }

    /** Values that are not even dates or numbers, named by field. */
    Map<String, String> parseErrors() {
        Map<String, String> errors = new LinkedHashMap<>();
        parseDate(birthDate, "birthDate", errors);
        parseDate(birthDateEarliest, "birthDateEarliest", errors);
        parseDate(birthDateLatest, "birthDateLatest", errors);
        parseDate(lastSeenDate, "lastSeenDate", errors);
        if (sex != null && !sex.isBlank() && Arrays.stream(Sex.values()).noneMatch(s -> s.name().equals(sex))) {
            errors.put("sex", "Choose female, male or unknown.");
        }
        return errors;
    }

    CaseForm toForm() {
        Map<String, String> ignored = new LinkedHashMap<>();
        List<String> aliasList = aliases == null ? List.of()
                : Arrays.stream(aliases.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        Long v = version == null || version.isBlank() ? null : Long.valueOf(version.trim());
        return new CaseForm(childName, aliasList, sex == null || sex.isBlank() ? Sex.unknown : Sex.valueOf(sex),
                parseDate(birthDate, "", ignored), parseDate(birthDateEarliest, "", ignored),
                parseDate(birthDateLatest, "", ignored), parseDate(lastSeenDate, "", ignored), lastSeenPlace,
                CaseForm.lines(circumstances), CaseForm.lines(distinguishingMarks), unit, v);
    }

    static LocalDate parseDate(String value, String field, Map<String, String> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            errors.put(field, "'" + value + "' is not a date (YYYY-MM-DD).");
            return null;
        }
    }

    private static String str(LocalDate d) {
        return d == null ? "" : d.toString();
    }

    // Getters for the template.
    public String getChildName() { return childName; }
    public String getAliases() { return aliases; }
    public String getSex() { return sex; }
    public String getBirthDate() { return birthDate; }
    public String getBirthDateEarliest() { return birthDateEarliest; }
    public String getBirthDateLatest() { return birthDateLatest; }
    public String getLastSeenDate() { return lastSeenDate; }
    public String getLastSeenPlace() { return lastSeenPlace; }
    public String getCircumstances() { return circumstances; }
    public String getDistinguishingMarks() { return distinguishingMarks; }
    public String getVersion() { return version; }
}
