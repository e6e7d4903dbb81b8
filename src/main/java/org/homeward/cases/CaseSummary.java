package org.homeward.cases;

import java.time.LocalDate;

/**
 * What the API and the list page show of a case. Kept apart from the entity so the schema can change freely.
 * {@code faceId}: the first child face that is searched (the list's thumbnail); null when no photo has one yet.
 */
public record CaseSummary(long id, String reference, String childName, CaseStatus status, String unit,
        LocalDate lastSeenDate, Double ageNow, Long faceId) {

    public static CaseSummary of(CaseFile file) {
        return new CaseSummary(file.id, file.reference, file.childName, file.status, file.unit, file.lastSeenDate,
                CaseService.ageNow(file), SearchedFaces.first(file.id).orElse(null));
    }
}
