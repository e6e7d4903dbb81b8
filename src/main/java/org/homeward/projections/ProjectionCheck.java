package org.homeward.projections;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.homeward.cases.CaseFile;
import org.homeward.cases.CaseStatus;
import org.homeward.models.ModelUnavailable;
import org.homeward.projections.ageing.AgeProjector;
import org.homeward.worker.JobQueue;
import org.homeward.worker.Periodic;
import org.homeward.worker.WorkerConfig;
import org.jboss.logging.Logger;

/**
 * The daily check, in processes that run jobs: queues the projection job of every open case whose projections
 * no longer match their plans (time has moved a child to a new year of age, a birth date or a marked face
 * changed), and removes projection images no row names any more.
 */
@ApplicationScoped
public class ProjectionCheck {

    private static final Logger LOG = Logger.getLogger(ProjectionCheck.class);
    /** A file younger than this may belong to a job that has not committed yet. */
    static final Duration SWEEP_MIN_AGE = Duration.ofHours(1);

    @Inject
    ProjectionsConfig config;

    @Inject
    WorkerConfig worker;

    @Inject
    ProjectionModels models;

    @Inject
    ProjectionStore store;

    @Inject
    JobQueue queue;

    private Periodic timer;

    void start(@Observes StartupEvent event) {
        if (!config.enabled() || !worker.runsJobs()) {
            return;
        }
        timer = Periodic.start("homeward-projection-check", config.checkInterval(), Duration.ofMinutes(1),
                this::checkAndSweep, LOG);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.close();
        }
    }

    private void checkAndSweep() {
        int queued = check();
        int swept = sweep();
        LOG.infof("projection check: %d case(s) queued, %d unused image(s) removed", queued, swept);
    }

    /** Queues the job of every open case whose projections are out of date; returns how many. */
    public int check() {
        AgeProjector projector;
        try {
            projector = models.projector();
        } catch (ModelUnavailable e) {
            LOG.warnf("projection check skipped: %s", e.getMessage());
            return 0;
        }
        List<Long> open = QuarkusTransaction.requiringNew().call(() -> CaseFile.<CaseFile>list("status", CaseStatus.open)
                .stream().map(c -> c.id).toList());
        int queued = 0;
        for (long caseId : open) {
            if (outOfDate(caseId, projector)) {
                LOG.debugf("case %d: projections out of date, job queued", caseId);
                QuarkusTransaction.requiringNew().run(() -> queue.enqueue(ProjectionJob.KIND, caseId));
                queued++;
            }
        }
        return queued;
    }

    /** Whether what is stored for the case's faces differs from their plans today (for the projector in use). */
    public boolean outOfDate(long caseId) {
        return outOfDate(caseId, models.projector());
    }

    private boolean outOfDate(long caseId, AgeProjector projector) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        ProjectionPlan.Rules rules = ProjectionPlan.Rules.of(config);
        return QuarkusTransaction.requiringNew().call(() -> {
            CaseFaces faces = CaseFaces.load(caseId, today, rules, id -> models.vectorFor(id).isPresent());
            return faces != null && faces.items().stream().anyMatch(i -> i.outOfDate(projector.model().key(),
                    t -> faces.steeringFor(t, projector.takesResemblance())));
        });
    }

    /** Removes projection images that no projection or status names any more. */
    public int sweep() {
        Set<String> referenced = QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<String> shas = Projection.getEntityManager().createNativeQuery("SELECT image_sha256 FROM projection UNION"
                    + " SELECT source_sha256 FROM projection_status WHERE source_sha256 IS NOT NULL").getResultList();
            Set<String> out = new HashSet<>();
            shas.forEach(s -> out.add(s.trim()));
            return out;
        });
        return store.sweep(referenced, SWEEP_MIN_AGE);
    }
}
