package org.homeward.worker;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/** Runs this process's worker threads when its role includes jobs, and reports queue depth as metrics. */
@ApplicationScoped
public class WorkerPool {

    private static final Logger LOG = Logger.getLogger(WorkerPool.class);

    @Inject
    WorkerConfig config;

    @Inject
    JobQueue queue;

    @Inject
    Instance<JobHandler> handlers;

    @Inject
    MeterRegistry registry;

    @Inject
    Instance<JobGate> gates;

    private final List<Thread> threads = new ArrayList<>();
    /** When each worker thread last came round its loop (epoch ms), by worker id: what liveness reads. */
    private final Map<String, AtomicLong> beats = new ConcurrentHashMap<>();
    private final Map<String, Thread> threadOf = new ConcurrentHashMap<>();
    private volatile boolean running;

    void start(@Observes StartupEvent event) {
        List<JobHandler> all = handlers.stream().toList();
        for (JobHandler handler : all) {
            for (String state : List.of("queued", "running", "failed")) {
                Gauge.builder("homeward.jobs", () -> queue.countsByState(handler.kind()).get(state))
                        .tag("kind", handler.kind()).tag("state", state)
                        .description("jobs in the queue by kind and state")
                        .register(registry);
            }
        }
        if (!config.runsJobs()) {
            LOG.info("role web: this process runs no jobs");
            return;
        }
        running = true;
        String process = ManagementFactory.getRuntimeMXBean().getName();
        for (int i = 0; i < config.threads(); i++) {
            Worker worker = new Worker(process + "#" + i, queue, all, config);
            beats.put(worker.id(), new AtomicLong(System.currentTimeMillis()));
            Thread thread = new Thread(() -> loop(worker), "homeward-worker-" + i);
            threadOf.put(worker.id(), thread);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        LOG.infof("worker started: %d thread(s), batches of %d, handlers %s", config.threads(), config.batchSize(),
                all.stream().map(JobHandler::kind).toList());
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        threads.forEach(Thread::interrupt);
        for (Thread thread : threads) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The first closed gate, or null when every gate is open. */
    private JobGate closedGate() {
        for (JobGate gate : gates) {
            if (!gate.open()) {
                return gate;
            }
        }
        return null;
    }

    /** Each worker thread's last beat and whether it is alive; empty in a process that runs no jobs. */
    public List<WorkerLiveness.Beat> beats() {
        List<WorkerLiveness.Beat> out = new ArrayList<>();
        beats.forEach((id, beat) -> out.add(new WorkerLiveness.Beat(id, beat.get(), threadOf.get(id).isAlive())));
        return out;
    }

    private void loop(Worker worker) {
        JobGate waitingFor = null;
        AtomicLong beat = beats.get(worker.id());
        while (running) {
            beat.set(System.currentTimeMillis());
            try {
                JobGate closed = closedGate();
                if (closed != null) {
                    if (closed != waitingFor) {
                        LOG.infof("worker %s takes no job: %s", worker.id(), closed.reason());
                    }
                    waitingFor = closed;
                    Thread.sleep(config.pollInterval().toMillis());
                    continue;
                }
                waitingFor = null;
                if (worker.pollOnce() == 0) {
                    Thread.sleep(config.pollInterval().toMillis());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | Error e) {
                // The database may be restarting, or a native library failed: the thread must not die, or the
                // queue would stall while readiness still said UP. Keep it alive and try again shortly.
                LOG.warnf(e, "worker %s: %s", worker.id(), e.getMessage());
                try {
                    Thread.sleep(config.pollInterval().toMillis() * 5);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }
}
