package org.homeward.cases;

import java.util.Arrays;

/**
 * The columns the case list sorts by, each with the direction a person expects first (the newest change, the
 * youngest child first by age); a second click on the same column reverses it. Ties fall back to the id so that
 * paging never repeats or skips a case.
 */
public enum CaseSort {
    updated("updatedAt", false),
    reference("reference", true),
    child("lower(childName)", true),
    status("status", true),
    unit("unit", true),
    lastSeen("lastSeenDate", false),
    // a later (or the earliest possible) birth is a younger child
    ageNow("coalesce(birthDate, birthDateEarliest)", false);

    private final String expression;
    private final boolean ascendingFirst;

    CaseSort(String expression, boolean ascendingFirst) {
        this.expression = expression;
        this.ascendingFirst = ascendingFirst;
    }

    /** The column named by a query parameter; the default (most recently changed) for anything else. */
    public static CaseSort of(String name) {
        return Arrays.stream(values()).filter(s -> s.name().equals(name)).findFirst().orElse(updated);
    }

    /** Whether the list runs ascending in this column, once reversed or not. */
    public boolean ascending(boolean reversed) {
        return ascendingFirst != reversed;
    }

    /** The HQL ORDER BY clause (without the keywords) for this column: fixed text, never from the request. */
    public String orderBy(boolean reversed) {
        String direction = ascending(reversed) ? "ASC" : "DESC";
        return expression + " " + direction + " NULLS LAST, id " + direction;
    }
}
