package org.homeward.faces;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import org.homeward.worker.JobGate;
import org.homeward.worker.WorkerConfig;
import org.jboss.logging.Logger;

/**
 * This process's trust in its models: a process that runs models runs their known-answer self-test
 * ({@link ModelSelfTest}) at start, in the background, and until it has passed the worker takes no job and
 * readiness is DOWN. The verdict is recorded per runtime fingerprint, so that what an untrusted runtime
 * computed can be found and analysed again ({@link Reanalysis}). A web-only process loads no model and has
 * nothing to check.
 */
@ApplicationScoped
public class ModelCheck implements JobGate {

    private static final Logger LOG = Logger.getLogger(ModelCheck.class);

    /** Where this process stands. */
    public enum State { NOT_RUN, RUNNING, PASSED, FAILED }

    @Inject
    ModelBundle models;

    @Inject
    WorkerConfig workerConfig;

    @Inject
    Reanalysis reanalysis;

    @Inject
    EntityManager em;

    @Inject
    MeterRegistry registry;

    private volatile State state = State.NOT_RUN;
    private volatile SelfTestReport report;

    void onStart(@Observes StartupEvent event) {
        if (!workerConfig.runsJobs()) {
            return;
        }
        state = State.RUNNING;
        Gauge.builder("homeward.models.selftest", this, c -> c.state == State.PASSED ? 1 : 0)
                .description("1 when every model package gave its known answers in this process, else 0")
                .register(registry);
        Thread thread = new Thread(this::runAndRecord, "homeward-model-self-test");
        thread.setDaemon(true);
        thread.start();
    }

    /** Runs the self-test (again), records the verdict for this runtime, and queues re-analysis when it passed. */
    public synchronized SelfTestReport runAndRecord() {
        SelfTestReport result;
        try {
            result = models.selfTest();
        } catch (RuntimeException | LinkageError e) {
            // libtorch itself would not load: no fingerprint can be made, and nothing may run
            result = new SelfTestReport("an unknown runtime", ModelSelfTest.VERSION, List.of(new ModelSelfTest.Verdict(
                    "runtime", false, "the model runtime did not start: " + e.getMessage())));
        }
        report = result;
        state = result.passed() ? State.PASSED : State.FAILED;
        for (ModelSelfTest.Verdict v : result.verdicts()) {
            Gauge.builder("homeward.models.selftest.package", this, c -> verdictOf(c, v.packageName()))
                    .tag("package", v.packageName())
                    .description("1 when the package gave its known answers in this process, else 0")
                    .register(registry);
        }
        if (result.passed()) {
            LOG.info(result.summary());
        } else {
            LOG.error(result.summary() + " The worker takes no job and readiness is DOWN until the cause is fixed "
                    + "(deploy/homeward doctor; docs/models.md).");
        }
        SelfTestReport recorded = result;
        try {
            QuarkusTransaction.requiringNew().run(() -> record(recorded));
            if (recorded.passed()) {
                reanalysis.plan();
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "could not record the model self-test's verdict (re-analysis is planned at the next start)");
        }
        return result;
    }

    private static double verdictOf(ModelCheck check, String pkg) {
        SelfTestReport r = check.report;
        return r != null && r.verdicts().stream().anyMatch(v -> v.packageName().equals(pkg) && v.passed()) ? 1 : 0;
    }

    private void record(SelfTestReport result) {
        em.createNativeQuery("""
                INSERT INTO model_runtime (fingerprint, self_test_version, passed, detail, checked_at)
                VALUES (:fingerprint, :version, :passed, :detail, now())
                ON CONFLICT (fingerprint) DO UPDATE SET self_test_version = excluded.self_test_version,
                    passed = excluded.passed, detail = excluded.detail, checked_at = excluded.checked_at""")
                .setParameter("fingerprint", result.runtime()).setParameter("version", result.version())
                .setParameter("passed", result.passed()).setParameter("detail", result.summary())
                .executeUpdate();
    }

    public State state() {
        return state;
    }

    /** The latest report; null before the first run ends (and in a process that runs no models). */
    public SelfTestReport report() {
        return report;
    }

    /** The fingerprint stored beside what this process computes. */
    public String runtime() {
        SelfTestReport r = report;
        return r != null ? r.runtime() : models.runtime();
    }

    @Override
    public boolean open() {
        return state == State.PASSED;
    }

    @Override
    public String reason() {
        return switch (state) {
            case NOT_RUN, RUNNING -> "the model self-test has not finished yet";
            case PASSED -> "";
            case FAILED -> report.summary();
        };
    }
}
