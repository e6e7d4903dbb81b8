package org.homeward.cases;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which face of a case photo is searched: the marked face, or the photo's only usable face, on a photo of the child.
 * The rule lives once, in the database views {@code case_subject_face} and {@code case_searched_face}
 * (db-migrations/V16, V17), which the sighting search joins too; this is how the Java side asks it. The same rule
 * picks the face of a relative's adult photo, which steers the projections and is never searched.
 */
public final class SearchedFaces {

    private SearchedFaces() {
    }

    /** The searched face of each of the case's photos that has one, by photo id. */
    public static Map<Long, Long> ofCase(long caseId) {
        return byPhoto("SELECT photo_id, face_id FROM case_searched_face WHERE case_id = ?1", caseId);
    }

    /** The face of each of the case's relatives' photos that has one, by photo id (never searched). */
    public static Map<Long, Long> relativesOfCase(long caseId) {
        return byPhoto("SELECT photo_id, face_id FROM case_subject_face WHERE case_id = ?1 AND shows <> 'child'", caseId);
    }

    private static Map<Long, Long> byPhoto(String sql, long caseId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = CaseFile.getEntityManager().createNativeQuery(sql).setParameter(1, caseId).getResultList();
        Map<Long, Long> faces = new HashMap<>();
        rows.forEach(r -> faces.put(((Number) r[0]).longValue(), ((Number) r[1]).longValue()));
        return faces;
    }

    /** The searched face of the case's earliest photo that has one (the case list's thumbnail). */
    static Optional<Long> first(long caseId) {
        return CaseFile.getEntityManager().createNativeQuery("""
                SELECT sf.face_id FROM case_searched_face sf JOIN case_photo cp
                    ON cp.case_id = sf.case_id AND cp.photo_id = sf.photo_id
                 WHERE sf.case_id = ?1 ORDER BY cp.added_at, cp.photo_id LIMIT 1""")
                .setParameter(1, caseId).getResultStream().findFirst().map(id -> ((Number) id).longValue());
    }
}
