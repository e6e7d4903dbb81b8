package org.homeward.projections;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import org.homeward.cases.CaseFacesChanged;
import org.homeward.faces.PhotoAnalysed;
import org.homeward.worker.JobQueue;

/**
 * Queues the projection job of every case a newly analysed photo belongs to, in the transaction that saves the
 * photo's faces: the job then sees them; and again when a person changes which faces a case searches or how old the
 * child is on them.
 */
@ApplicationScoped
public class ProjectionTrigger {

    @Inject
    ProjectionsConfig config;

    @Inject
    JobQueue queue;

    @Inject
    EntityManager em;

    void photoAnalysed(@Observes PhotoAnalysed event) {
        if (!config.enabled() || event.failed() || event.usableFaces() == 0) {
            return;
        }
        @SuppressWarnings("unchecked")
        List<Number> cases = em.createNativeQuery("SELECT case_id FROM case_photo WHERE photo_id = ?1")
                .setParameter(1, event.photoId()).getResultList();
        for (Number caseId : cases) {
            queue.enqueue(ProjectionJob.KIND, caseId.longValue());
        }
    }

    void caseFacesChanged(@Observes CaseFacesChanged event) {
        if (config.enabled()) {
            queue.enqueue(ProjectionJob.KIND, event.caseId());
        }
    }
}
