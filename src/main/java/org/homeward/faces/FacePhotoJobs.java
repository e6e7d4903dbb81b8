package org.homeward.faces;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.homeward.faces.drawn.DrawnFaceJob;
import org.homeward.faces.index.IndexRebuildJob;
import org.homeward.photos.PhotoJobs;

/** The faces feature's jobs about a photo: re-indexing it, and placing the boxes drawn on it. */
@ApplicationScoped
public class FacePhotoJobs implements PhotoJobs {

    @Inject
    EntityManager em;

    @Override
    public void deleteFor(long photoId) {
        em.createNativeQuery("""
                DELETE FROM job WHERE (kind = ?2 AND subject_id = ?1)
                    OR (kind = ?3 AND subject_id IN (SELECT d.id FROM drawn_face d WHERE d.photo_id = ?1))""")
                .setParameter(1, photoId).setParameter(2, IndexRebuildJob.KIND).setParameter(3, DrawnFaceJob.KIND)
                .executeUpdate();
    }
}
