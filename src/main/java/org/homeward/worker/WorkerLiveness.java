package org.homeward.worker;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness is DOWN when a worker thread has died, or has not come round its loop for longer than a lease (plus
 * a margin) while jobs wait: the worker is stuck (a native call that never returns, say) and only a restart
 * helps. A worker that waits on purpose (its self-test failed) still comes round its loop, and stays UP.
 */
@Liveness
@ApplicationScoped
public class WorkerLiveness implements HealthCheck {

    /** One worker thread's last beat (epoch ms) and whether it is alive. */
    public record Beat(String worker, long lastBeatMillis, boolean alive) {
    }

    static final Duration MARGIN = Duration.ofMinutes(2);

    @Inject
    WorkerPool pool;

    @Inject
    WorkerConfig config;

    @Inject
    EntityManager em;

    @Override
    public HealthCheckResponse call() {
        List<Beat> beats = pool.beats();
        HealthCheckResponseBuilder out = HealthCheckResponse.named("worker");
        if (beats.isEmpty()) {
            return out.up().withData("worker", "none in this process").build();
        }
        String stuck = stuck(beats, System.currentTimeMillis(), config.lease().plus(MARGIN), this::jobsWaiting);
        beats.forEach(b -> out.withData(b.worker(), (b.alive() ? "alive" : "DEAD") + ", last round "
                + (System.currentTimeMillis() - b.lastBeatMillis()) / 1000 + " s ago"));
        return (stuck == null ? out.up() : out.down().withData("problem", stuck)).build();
    }

    /** Why the worker is stuck, or null: a dead thread, or no round for longer than {@code limit} while jobs wait. */
    static String stuck(List<Beat> beats, long nowMillis, Duration limit, BooleanSupplier jobsWaiting) {
        for (Beat b : beats) {
            if (!b.alive()) {
                return "worker thread " + b.worker() + " has died";
            }
        }
        for (Beat b : beats) {
            long silent = nowMillis - b.lastBeatMillis();
            if (silent > limit.toMillis() && jobsWaiting.getAsBoolean()) {
                return "worker " + b.worker() + " has not come round its loop for " + silent / 1000 + " s while jobs wait";
            }
        }
        return null;
    }

    private boolean jobsWaiting() {
        try {
            return ((Number) em.createNativeQuery("SELECT count(*) FROM job WHERE state = 'queued' AND run_after <= now()")
                    .getSingleResult()).longValue() > 0;
        } catch (RuntimeException e) {
            // the database is readiness's concern; without it, a silent worker is not proven stuck
            return false;
        }
    }
}
