package org.homeward.cases;

/** What the API shows of a case in lists. Kept apart from the entity so the schema can change freely. */
public record CaseSummary(long id, String reference, String childName, CaseStatus status, String unit) {

    static CaseSummary of(CaseFile file) {
        return new CaseSummary(file.id, file.reference, file.childName, file.status, file.unit);
    }
}
