package org.homeward.faces.index;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import org.homeward.audit.AuditTrail;
import org.homeward.faces.ModelBundle;
import org.homeward.models.ModelUnavailable;
import org.homeward.worker.JobHandler;
import org.homeward.worker.JobQueue;
import org.homeward.worker.WorkerConfig;
import org.jboss.logging.Logger;

/**
 * Keeps the search index whole when the search model changes (the first start with a transform installed, a
 * new transform version, or homeward.models.transform changed): at the start of every process that runs
 * jobs, it queues an {@link IndexRebuildJob} for each photo with a usable face that lacks a vector under the
 * search model. The queue's leases and retries carry the work through crashes; a restart queues again
 * whatever is still missing, including photos whose job had failed. {@link IndexProgress} shows how far it is.
 */
@ApplicationScoped
public class IndexRebuild {

    private static final Logger LOG = Logger.getLogger(IndexRebuild.class);
    /** Photos queued per transaction, so a large index never holds one long transaction. */
    private static final int CHUNK = 500;

    @Inject
    ModelBundle models;

    @Inject
    JobQueue jobs;

    @Inject
    WorkerConfig workerConfig;

    @Inject
    AuditTrail audit;

    @Inject
    EntityManager em;

    void onStart(@Observes StartupEvent event) {
        if (!workerConfig.runsJobs()) {
            return;
        }
        // Counting every face can take a while on a large index; the process need not wait for it.
        Thread planner = new Thread(() -> {
            try {
                plan();
            } catch (ModelUnavailable e) {
                LOG.errorf("search index: the search model cannot be opened, nothing re-indexed: %s", e.getMessage());
            } catch (RuntimeException e) {
                LOG.errorf(e, "search index: could not queue the re-indexing (it is tried again at the next start)");
            }
        }, "homeward-index-rebuild");
        planner.setDaemon(true);
        planner.start();
    }

    /** Queues re-indexing for every photo with a usable face lacking a search vector; returns how many photos. */
    public int plan() {
        String model = models.searchModelId();
        List<Long> photos = QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Number> ids = em.createNativeQuery("SELECT DISTINCT f.photo_id FROM face f WHERE f.usable AND "
                    + IndexProgress.MISSING_VECTOR + " ORDER BY 1").setParameter("model", model).getResultList();
            return ids.stream().map(Number::longValue).toList();
        });
        if (photos.isEmpty()) {
            return 0;
        }
        for (int start = 0; start < photos.size(); start += CHUNK) {
            List<Long> chunk = photos.subList(start, Math.min(photos.size(), start + CHUNK));
            QuarkusTransaction.requiringNew().run(() -> chunk.forEach(id -> jobs.enqueue(IndexRebuildJob.KIND, id)));
        }
        QuarkusTransaction.requiringNew().run(() -> audit.recordAs(JobHandler.ACTOR, "index.rebuild", "model",
                model, "photos=" + photos.size()));
        LOG.infof("search index: %d photo(s) have faces without a %s vector; the worker is indexing them"
                + " (progress: GET /api/models/index, /admin/index, metric homeward.index.pending)", photos.size(), model);
        return photos.size();
    }
}
