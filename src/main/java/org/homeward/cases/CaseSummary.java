package org.homeward.cases;

import java.time.LocalDate;

/** What the API and the list page show of a case. Kept apart from the entity so the schema can change freely. */
public record CaseSummary(long id, String reference, String childName, CaseStatus status, String unit,
        LocalDate lastSeenDate, Double ageNow) {

    public static CaseSummary of(CaseFile file) {
        return new CaseSummary(file.id, file.reference, file.childName, file.status, file.unit, file.lastSeenDate,
                CaseService.ageNow(file));
    }
}
