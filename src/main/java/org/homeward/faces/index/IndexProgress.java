package org.homeward.faces.index;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.homeward.faces.ModelBundle;
import org.homeward.faces.ModelCheck;
import org.homeward.faces.ModelSelfTest;
import org.homeward.faces.Reanalysis;
import org.homeward.faces.SelfTestReport;
import org.homeward.models.ModelUnavailable;
import org.homeward.worker.JobQueue;

/**
 * Measures the search index against the faces: which usable faces have a vector under the search model and
 * which still wait for the worker. Read by the admin's API and page, and exported as metrics
 * ({@code homeward.index.faces|indexed|pending}, tagged with the model).
 */
@ApplicationScoped
public class IndexProgress {

    /** SQL: face {@code f} has no original vector under the model bound as {@code :model}. */
    static final String MISSING_VECTOR = """
            NOT EXISTS (SELECT 1 FROM embedding e WHERE e.face_id = f.id AND e.model_id = :model AND e.kind = 'original')""";
    private static final int FAILURES_SHOWN = 10;
    private static final long METRICS_MAX_AGE_NANOS = 10_000_000_000L;

    @Inject
    ModelBundle models;

    @Inject
    ModelCheck modelCheck;

    @Inject
    Reanalysis reanalysis;

    @Inject
    EntityManager em;

    @Inject
    JobQueue jobs;

    @Inject
    MeterRegistry registry;

    private volatile IndexStatus forMetrics;
    private volatile long forMetricsAt;

    void registerMetrics(@Observes StartupEvent event) {
        String model;
        try {
            model = models.searchModelId();
        } catch (ModelUnavailable e) {
            return; // the status names the damaged package; there is no model to tag gauges with
        }
        gauge("homeward.index.faces", "usable faces", model, IndexStatus::faces);
        gauge("homeward.index.indexed", "usable faces with a vector under the search model", model, IndexStatus::indexed);
        gauge("homeward.index.pending", "usable faces searches cannot find yet (the worker is indexing them)", model,
                IndexStatus::pending);
    }

    private void gauge(String name, String description, String model, ToLongFunction<IndexStatus> value) {
        Gauge.builder(name, () -> value.applyAsLong(cachedStatus())).tag("model", model).description(description)
                .register(registry);
    }

    /** The status at most a few seconds old: a scrape reads three gauges, and counting every face is not free. */
    private IndexStatus cachedStatus() {
        if (forMetrics == null || System.nanoTime() - forMetricsAt > METRICS_MAX_AGE_NANOS) {
            forMetrics = status();
            forMetricsAt = System.nanoTime();
        }
        return forMetrics;
    }

    /** The index as it is now. A search model that cannot be opened leaves every face unsearchable, and says why. */
    public IndexStatus status() {
        Reanalysis.Backlog backlog = reanalysis.backlog();
        String model;
        try {
            model = models.searchModelId();
        } catch (ModelUnavailable e) {
            long faces = QuarkusTransaction.joiningExisting()
                    .call(() -> ((Number) em.createNativeQuery("SELECT count(*) FROM face WHERE usable").getSingleResult()).longValue());
            return new IndexStatus(null, "the search model cannot be opened, searches fail: " + e.getMessage(), faces, 0,
                    faces, 0, 0, List.of(), null, selfTest(), backlog.pending(), backlog.keptForReview());
        }
        return QuarkusTransaction.joiningExisting().call(() -> {
            Object[] counts = (Object[]) em.createNativeQuery("SELECT count(*), count(*) FILTER (WHERE " + MISSING_VECTOR
                    + ") FROM face f WHERE f.usable").setParameter("model", model).getSingleResult();
            long faces = ((Number) counts[0]).longValue();
            long pending = ((Number) counts[1]).longValue();
            Map<String, Long> byState = jobs.countsByState(IndexRebuildJob.KIND);
            @SuppressWarnings("unchecked")
            List<Object[]> failed = em.createNativeQuery("SELECT j.subject_id, j.last_error, count(*) OVER () FROM job j"
                    + " WHERE j.kind = :kind AND j.state = 'failed' AND EXISTS (SELECT 1 FROM face f"
                    + " WHERE f.photo_id = j.subject_id AND f.usable AND " + MISSING_VECTOR + ")"
                    + " ORDER BY j.finished_at DESC LIMIT " + FAILURES_SHOWN)
                    .setParameter("kind", IndexRebuildJob.KIND).setParameter("model", model).getResultList();
            List<IndexStatus.Failure> failures = failed.stream()
                    .map(r -> new IndexStatus.Failure(((Number) r[0]).longValue(), (String) r[1])).toList();
            long failedPhotos = failed.isEmpty() ? 0 : ((Number) failed.get(0)[2]).longValue();
            @SuppressWarnings("unchecked")
            List<String> index = em.createNativeQuery("""
                    SELECT indexname FROM pg_indexes
                     WHERE tablename = 'embedding' AND indexdef LIKE '%USING hnsw%'
                       AND position(quote_literal(:model) IN indexdef) > 0""")
                    .setParameter("model", model).getResultList();
            return new IndexStatus(model, models.transformNote(), faces, faces - pending, pending,
                    byState.get("queued") + byState.get("running"), failedPhotos, failures,
                    index.isEmpty() ? null : index.get(0), selfTest(), backlog.pending(), backlog.keptForReview());
        });
    }

    /** This process's model self-test, for the status. */
    private IndexStatus.SelfTest selfTest() {
        SelfTestReport report = modelCheck.report();
        return new IndexStatus.SelfTest(modelCheck.state().name(), report == null ? null : report.runtime(),
                report == null ? List.of() : report.verdicts().stream().map(ModelSelfTest.Verdict::line).toList());
    }
}
