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
 * stays: the same bytes may be someone else's evidence, and nobody's holding them may block a deletion.
 */
@ApplicationScoped
public class CaseDeletion {

    @Inject
    EntityManager em;

    @Inject
    PhotoStore store;

    @Transactional(Transactional.TxType.MANDATORY)
    void delete(CaseFile file) {
        @SuppressWarnings("unchecked")
        List<Object[]> onlyHere = em.createNativeQuery("""
                SELECT p.id, p.sha256 FROM case_photo cp JOIN photo p ON p.id = cp.photo_id
                 WHERE cp.case_id = ?1
                   AND NOT EXISTS (SELECT 1 FROM case_photo o WHERE o.photo_id = p.id AND o.case_id <> ?1)
                   AND NOT EXISTS (SELECT 1 FROM sighting_photo s WHERE s.photo_id = p.id)""")
                .setParameter(1, file.id).getResultList();
        em.createNativeQuery("DELETE FROM case_file WHERE id = ?1").setParameter(1, file.id).executeUpdate();
        List<Long> photoIds = onlyHere.stream().map(r -> ((Number) r[0]).longValue()).toList();
        if (!photoIds.isEmpty()) {
            em.createNativeQuery("DELETE FROM job WHERE kind = 'process-photo' AND subject_id IN (?1)")
                    .setParameter(1, photoIds).executeUpdate();
            em.createNativeQuery("DELETE FROM photo WHERE id IN (?1)").setParameter(1, photoIds).executeUpdate();
        }
        em.detach(file);
        store.deleteAfterCommit(onlyHere.stream().map(r -> ((String) r[1]).trim()).toList());
    }
}
