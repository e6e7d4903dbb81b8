package org.homeward.cases;

import java.time.LocalDate;

/**
 * What the API and the list page show of a case. Kept apart from the entity so the schema can change freely.
 * {@code faceId}: the first child face that is searched (the list's thumbnail); null when no photo has one yet.
 */
public record CaseSummary(long id, String reference, String childName, CaseStatus status, String unit,
        LocalDate lastSeenDate, Double ageNow, Long faceId) {

    /** The searched child face of the case's earliest photo that has one (the marked face, or a photo's only usable face). */
    static final String FIRST_CHILD_FACE = """
            SELECT f.id FROM case_photo cp JOIN face f ON f.photo_id = cp.photo_id AND f.usable
            WHERE cp.case_id = ?1 AND (cp.child_face_id = f.id OR (cp.child_face_id IS NULL AND NOT EXISTS
                (SELECT 1 FROM face o WHERE o.photo_id = f.photo_id AND o.usable AND o.id <> f.id)))
            ORDER BY cp.added_at, cp.photo_id LIMIT 1""";

    public static CaseSummary of(CaseFile file) {
        Object face = CaseFile.getEntityManager().createNativeQuery(FIRST_CHILD_FACE).setParameter(1, file.id)
                .getResultStream().findFirst().orElse(null);
        return new CaseSummary(file.id, file.reference, file.childName, file.status, file.unit, file.lastSeenDate,
                CaseService.ageNow(file), face == null ? null : ((Number) face).longValue());
    }
}
