package org.homeward.worker;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A task a process repeats on its own thread (the photo sweep, the projection check, retention, audit
 * checkpoints): first after {@code firstDelay}, then every {@code interval}. A run that throws is logged with when
 * the next one comes, and the schedule goes on; {@link #close()} at shutdown stops it.
 */
public final class Periodic implements AutoCloseable {

    private final ScheduledExecutorService timer;

    private Periodic(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    public static Periodic start(String name, Duration interval, Duration firstDelay, Runnable task, Logger log) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        Runnable guarded = () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.errorf(e, "%s failed; it runs again in %s", name, interval);
            }
        };
        long every = interval.toSeconds();
        timer.scheduleWithFixedDelay(guarded, Math.min(firstDelay.toSeconds(), every), every, TimeUnit.SECONDS);
        return new Periodic(timer);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
