package org.homeward.cases;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import org.homeward.photos.PhotoStore;

/**
 * Removes a case and everything only it holds: its photos, their faces and vectors (by cascade), their
 * jobs, and, once the transaction has committed, their files. A photo another case or a sighting also uses
 * stays: the same bytes may be someone else's evidence, and nobody's holding them may block a deletion. So does one
 * whose bytes someone else uploaded on their own: nothing accepted from them is lost.
 */
@ApplicationScoped
public class CaseDeletion {

    @Inject
    EntityManager em;

    @Inject
    PhotoStore store;

    @Transactional(Transactional.TxType.MANDATORY)
    void delete(CaseFile file) {
        // Each photo only this case uses, and whether someone who did not attach it here uploaded the same bytes
        // themselves (an upload not yet in a case or sighting): that upload is theirs and stays.
        @SuppressWarnings("unchecked")
        List<Object[]> onlyHere = em.createNativeQuery("""
                SELECT p.id, p.sha256, EXISTS (SELECT 1 FROM photo_upload u WHERE u.photo_id = p.id
                         AND u.username NOT IN (SELECT a.added_by FROM case_photo a
                                                 WHERE a.case_id = ?1 AND a.photo_id = p.id)) AS uploaded_by_others
                  FROM case_photo cp JOIN photo p ON p.id = cp.photo_id
                 WHERE cp.case_id = ?1
                   AND NOT EXISTS (SELECT 1 FROM case_photo o WHERE o.photo_id = p.id AND o.case_id <> ?1)
                   AND NOT EXISTS (SELECT 1 FROM sighting_photo s WHERE s.photo_id = p.id)""")
                .setParameter(1, file.id).getResultList();
        List<Long> heldByOthers = onlyHere.stream().filter(r -> (Boolean) r[2]).map(r -> ((Number) r[0]).longValue())
                .toList();
        List<Object[]> deleted = onlyHere.stream().filter(r -> !(Boolean) r[2]).toList();
        if (!heldByOthers.isEmpty()) {
            handToOtherUploaders(file.id, heldByOthers);
        }
        em.createNativeQuery("DELETE FROM case_file WHERE id = ?1").setParameter(1, file.id).executeUpdate();
        List<Long> photoIds = deleted.stream().map(r -> ((Number) r[0]).longValue()).toList();
        if (!photoIds.isEmpty()) {
            em.createNativeQuery("DELETE FROM job WHERE kind = 'process-photo' AND subject_id IN (?1)")
                    .setParameter(1, photoIds).executeUpdate();
            em.createNativeQuery("DELETE FROM photo WHERE id IN (?1)").setParameter(1, photoIds).executeUpdate();
        }
        em.detach(file);
        store.deleteAfterCommit(deleted.stream().map(r -> ((String) r[1]).trim()).toList());
    }

    /**
     * A photo kept for the others who uploaded its bytes leaves the people who attached it to this case: their
     * uploads of it go, and when one of them had brought it first, the earliest other uploader becomes its uploader
     * (no unit recorded: only they and admins are shown the name). It is then an upload in no case or sighting,
     * which the retention sweep removes in its time.
     */
    private void handToOtherUploaders(long caseId, List<Long> photoIds) {
        em.createNativeQuery("""
                DELETE FROM photo_upload u USING case_photo a
                 WHERE a.case_id = ?1 AND a.photo_id = u.photo_id AND u.username = a.added_by AND u.photo_id IN (?2)""")
                .setParameter(1, caseId).setParameter(2, photoIds).executeUpdate();
        em.createNativeQuery("""
                UPDATE photo p SET uploaded_by = first.username, uploaded_at = first.uploaded_at, uploaded_by_unit = NULL
                  FROM (SELECT DISTINCT ON (photo_id) photo_id, username, uploaded_at FROM photo_upload
                         WHERE photo_id IN (?1) ORDER BY photo_id, uploaded_at) first
                 WHERE p.id = first.photo_id AND p.uploaded_by <> first.username
                   AND NOT EXISTS (SELECT 1 FROM photo_upload k WHERE k.photo_id = p.id AND k.username = p.uploaded_by)""")
                .setParameter(1, photoIds).executeUpdate();
    }
}
