package org.homeward.faces;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import org.homeward.audit.AuditTrail;
import org.homeward.photos.PhotoService;
import org.homeward.worker.JobQueue;
import org.homeward.worker.JobHandler;
import org.jboss.logging.Logger;

/**
 * Analyses again, in the background, every photo whose faces were computed by a runtime that has not passed
 * the model self-test, or by an unknown one (before runtimes were recorded). Such a runtime may have been
 * silently wrong (docs/models.md: the detector on AVX-512 CPUs), and its faces and vectors must not survive.
 * A photo whose faces already carry a reviewer's verdict is left as it is and counted: re-analysis replaces
 * faces, and a person's verdict must not vanish with them.
 */
@ApplicationScoped
public class Reanalysis {

    private static final Logger LOG = Logger.getLogger(Reanalysis.class);
    private static final int CHUNK = 500;

    /** Analysed photos whose runtime has not passed the self-test (SQL over photo p). */
    static final String UNVERIFIED = "p.state = 'done' AND (p.analysed_by IS NULL OR p.analysed_by NOT IN "
            + "(SELECT fingerprint FROM model_runtime WHERE passed))";
    /** ... of which a person has already judged a candidate found through their faces. */
    static final String REVIEWED = "EXISTS (SELECT 1 FROM face f JOIN candidate c ON c.sighting_face_id = f.id "
            + "OR c.best_face_id = f.id WHERE f.photo_id = p.id AND c.state <> 'unreviewed')";

    @Inject
    JobQueue jobs;

    @Inject
    AuditTrail audit;

    @Inject
    EntityManager em;

    /** Queues the photos to analyse again; returns how many. Photos already queued are not queued twice. */
    public int plan() {
        List<Long> photos = QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Number> ids = em.createNativeQuery("SELECT p.id FROM photo p WHERE " + UNVERIFIED + " AND NOT " + REVIEWED
                    + " AND NOT EXISTS (SELECT 1 FROM job j WHERE j.kind = :kind AND j.subject_id = p.id"
                    + " AND j.state IN ('queued', 'running')) ORDER BY p.id")
                    .setParameter("kind", PhotoService.PROCESS_JOB).getResultList();
            return ids.stream().map(Number::longValue).toList();
        });
        for (int start = 0; start < photos.size(); start += CHUNK) {
            List<Long> chunk = photos.subList(start, Math.min(photos.size(), start + CHUNK));
            QuarkusTransaction.requiringNew().run(() -> chunk.forEach(id -> jobs.enqueue(PhotoService.PROCESS_JOB, id)));
        }
        long kept = backlog().keptForReview();
        if (!photos.isEmpty() || kept > 0) {
            QuarkusTransaction.requiringNew().run(() -> audit.recordAs(JobHandler.ACTOR, "photos.reanalyse",
                    "model", "runtime", "photos=" + photos.size() + " kept-for-review=" + kept));
            LOG.infof("re-analysis: %d photo(s) were analysed by a runtime that has not passed the model self-test; "
                    + "the worker analyses them again (progress: /admin/index). %d with reviewed candidates kept as they are.",
                    photos.size(), kept);
        }
        return photos.size();
    }

    /**
     * Photos of an unverified runtime: still to be analysed again ({@code pending}), and left as they are
     * because a person reviewed their candidates ({@code keptForReview}).
     */
    public record Backlog(long pending, long keptForReview) {
    }

    public Backlog backlog() {
        Object[] counts = QuarkusTransaction.joiningExisting().call(() -> (Object[]) em.createNativeQuery(
                "SELECT count(*) FILTER (WHERE NOT " + REVIEWED + "), count(*) FILTER (WHERE " + REVIEWED + ")"
                        + " FROM photo p WHERE " + UNVERIFIED).getSingleResult());
        return new Backlog(((Number) counts[0]).longValue(), ((Number) counts[1]).longValue());
    }

}
