package org.homeward.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The queue on the real database: exactly-once with two workers, leases that expire, poison that stays put. */
@QuarkusTest
@Tag("shared-app")
class JobQueueTest {

    @Inject
    JobQueue queue;

    @Inject
    EntityManager em;

    /** Counts how often each job's result was saved, and fails the subjects it is told to. */
    static final class CountingHandler implements JobHandler {
        final String kind = "test-" + System.nanoTime();
        final Map<Long, AtomicInteger> saved = new ConcurrentHashMap<>();
        final List<Long> poisoned = new ArrayList<>();
        final List<Long> gaveUp = new ArrayList<>();
        final boolean background;
        final List<String> runs;

        CountingHandler() {
            this(false, new ArrayList<>());
        }

        /** A handler of background or interactive work that writes "kind:size" into a log shared with others. */
        CountingHandler(boolean background, List<String> runs) {
            this.background = background;
            this.runs = runs;
        }

        @Override
        public boolean background() {
            return background;
        }

        @Override
        public String kind() {
            return kind;
        }

        @Override
        public List<JobOutcome> run(List<Job> batch) {
            runs.add((background ? "background:" : "interactive:") + batch.size());
            return batch.stream().<JobOutcome>map(job -> poisoned.contains(job.subjectId())
                    ? new JobOutcome.Failed("corrupt input " + job.subjectId(), false)
                    : new JobOutcome.Done(() -> saved.computeIfAbsent(job.subjectId(), k -> new AtomicInteger())
                            .incrementAndGet()))
                    .toList();
        }

        @Override
        public synchronized void gaveUp(Job job, String reason) {
            gaveUp.add(job.subjectId());
        }
    }

    record TestConfig(Duration lease, int batchSize) implements WorkerConfig {
        public Role role() { return Role.worker; }
        public int threads() { return 1; }
        public int maxAttempts() { return 3; }
        public Duration backoff() { return Duration.ofMillis(100); }
        public Duration pollInterval() { return Duration.ofMillis(50); }
    }

    private void enqueue(String kind, int count) {
        QuarkusTransaction.requiringNew().run(() -> {
            for (long subject = 1; subject <= count; subject++) {
                queue.enqueue(kind, subject);
            }
        });
    }

    private Map<String, Long> counts(String kind) {
        return queue.countsByState(kind);
    }

    @Test
    void twoWorkersProcess200JobsExactlyOnce() throws Exception {
        CountingHandler handler = new CountingHandler();
        enqueue(handler.kind, 200);
        TestConfig config = new TestConfig(Duration.ofMinutes(1), 8);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<Integer>> runs = new ArrayList<>();
        for (String id : List.of("worker-a", "worker-b")) {
            Worker worker = new Worker(id, queue, List.of(handler), config);
            runs.add(pool.submit(() -> {
                int total = 0;
                for (int n; (n = worker.pollOnce()) > 0; ) {
                    total += n;
                }
                return total;
            }));
        }
        int a = runs.get(0).get();
        int b = runs.get(1).get();
        pool.shutdown();

        assertEquals(200, a + b, "every job handled once between the two workers");
        assertTrue(a > 0 && b > 0, "both workers took a share: " + a + " / " + b);
        assertEquals(200, handler.saved.size());
        assertTrue(handler.saved.values().stream().allMatch(n -> n.get() == 1), "no result saved twice");
        assertEquals(200L, counts(handler.kind).get("done"));
    }

    @Test
    void killedWorkersJobsAreTakenAgainAndItsLateResultIsRefused() throws Exception {
        CountingHandler handler = new CountingHandler();
        enqueue(handler.kind, 10);
        Duration lease = Duration.ofMillis(800);

        // Worker A claims a batch and dies before finishing it.
        List<Job> abandoned = queue.claim(handler.kind, "worker-dead", 6, lease);
        assertEquals(6, abandoned.size());

        Worker survivor = new Worker("worker-alive", queue, List.of(handler), new TestConfig(lease, 10));
        assertEquals(4, survivor.pollOnce(), "leased jobs are not taken while the lease holds");
        Thread.sleep(lease.toMillis() + 400);
        assertEquals(6, survivor.pollOnce(), "expired leases are taken again");
        assertEquals(10L, counts(handler.kind).get("done"));

        // The dead worker comes back and tries to finish: refused, nothing saved twice.
        boolean lateCompletion = QuarkusTransaction.requiringNew().call(() -> queue.complete(abandoned.get(0), "worker-dead"));
        assertFalse(lateCompletion);
        assertTrue(handler.saved.values().stream().allMatch(n -> n.get() == 1));
    }

    @Test
    void interactiveJobsGoBeforeBackgroundOnesWhichRunOneAtATime() {
        List<String> runs = new ArrayList<>();
        CountingHandler projections = new CountingHandler(true, runs);
        CountingHandler photos = new CountingHandler(false, runs);
        enqueue(projections.kind, 3);
        enqueue(photos.kind, 2);
        // The background handler comes first in the list: the order of handlers must not decide priority.
        Worker worker = new Worker("worker-prio", queue, List.of(projections, photos),
                new TestConfig(Duration.ofMinutes(1), 4));

        worker.pollOnce();
        worker.pollOnce();
        QuarkusTransaction.requiringNew().run(() -> queue.enqueue(photos.kind, 3));
        while (worker.pollOnce() > 0) {
            // until the queue is drained
        }
        assertEquals(List.of("interactive:2", "background:1", "interactive:1", "background:1", "background:1"), runs,
                "a photo uploaded while projections wait is analysed before the next projection");
        assertEquals(3, projections.saved.size());
        assertEquals(3, photos.saved.size());
    }

    @Test
    void backgroundKindsTakeTurnsSoABacklogStarvesNoOther() {
        List<String> runs = new ArrayList<>();
        CountingHandler projections = new CountingHandler(true, runs);
        CountingHandler pastSightings = new CountingHandler(true, runs);
        enqueue(projections.kind, 5);
        enqueue(pastSightings.kind, 2);
        Worker worker = new Worker("worker-turns", queue, List.of(projections, pastSightings),
                new TestConfig(Duration.ofMinutes(1), 4));
        List<Long> order = new ArrayList<>();
        while (worker.pollOnce() > 0) {
            order.add((long) projections.saved.size() * 10 + pastSightings.saved.size());
        }
        // (projections done) * 10 + (past-sighting searches done) after each job: they alternate while both wait
        assertEquals(List.of(10L, 11L, 21L, 22L, 32L, 42L, 52L), order);
    }

    @Test
    void poisonedJobFailsWithItsReasonAndDoesNotBlockTheRest() {
        CountingHandler handler = new CountingHandler();
        handler.poisoned.add(3L);
        enqueue(handler.kind, 6);
        Worker worker = new Worker("worker-p", queue, List.of(handler), new TestConfig(Duration.ofMinutes(1), 4));
        while (worker.pollOnce() > 0) {
            // until the queue is drained
        }
        Map<String, Long> counts = counts(handler.kind);
        assertEquals(5L, counts.get("done"));
        assertEquals(1L, counts.get("failed"));
        assertEquals(List.of(3L), handler.gaveUp);
        Object error = em.createNativeQuery("SELECT last_error FROM job WHERE kind = ?1 AND state = 'failed'")
                .setParameter(1, handler.kind).getSingleResult();
        assertEquals("corrupt input 3", error);
    }

    @Test
    void failedAttemptIsRetriedAfterBackOffUntilItSucceeds() throws Exception {
        String kind = "test-flaky-" + System.nanoTime();
        AtomicInteger calls = new AtomicInteger();
        JobHandler flaky = new JobHandler() {
            public String kind() { return kind; }
            public List<JobOutcome> run(List<Job> batch) {
                return batch.stream().<JobOutcome>map(j -> calls.incrementAndGet() == 1
                        ? new JobOutcome.Failed("model busy", true) : new JobOutcome.Done(() -> { })).toList();
            }
        };
        enqueue(kind, 1);
        Worker worker = new Worker("worker-f", queue, List.of(flaky), new TestConfig(Duration.ofMinutes(1), 1));
        assertEquals(1, worker.pollOnce());
        assertEquals(1L, counts(kind).get("queued"), "back in the queue after a retryable failure");
        assertEquals(0, worker.pollOnce(), "not before its back-off has passed");
        Thread.sleep(300);
        assertEquals(1, worker.pollOnce());
        assertEquals(1L, counts(kind).get("done"));
    }

    @Test
    void aJobWhoseWorkerDiesOnEveryAttemptIsGivenUpWithItsReasonNotTakenForever() throws Exception {
        CountingHandler handler = new CountingHandler();
        enqueue(handler.kind, 1);
        Duration lease = Duration.ofMillis(300);
        // Three workers in turn take it and die (a crash the job itself causes): its lease runs out each time.
        for (int attempt = 1; attempt <= 3; attempt++) {
            assertEquals(1, queue.claim(handler.kind, "worker-crashing-" + attempt, 1, lease).size(), "attempt " + attempt);
            Thread.sleep(lease.toMillis() + 200);
        }
        Worker survivor = new Worker("worker-survivor", queue, List.of(handler), new TestConfig(lease, 1));
        assertEquals(1, survivor.pollOnce(), "the crashed job is given up, not run a fourth time");
        assertEquals(List.of(1L), handler.gaveUp, "its handler is told, so the photo or search ends failed");
        assertTrue(handler.saved.isEmpty());
        assertEquals(1L, counts(handler.kind).get("failed"));
        Object error = em.createNativeQuery("SELECT last_error FROM job WHERE kind = ?1").setParameter(1, handler.kind)
                .getSingleResult();
        assertEquals("the worker stopped before finishing it on each of its 3 attempts (its lease ran out)", error);
        assertEquals(0, survivor.pollOnce(), "and never taken again");
    }

    @Test
    void aNativeErrorInABatchFailsTheAttemptAndTheWorkerGoesOn() {
        String kind = "test-native-" + System.nanoTime();
        AtomicInteger calls = new AtomicInteger();
        JobHandler crashing = new JobHandler() {
            public String kind() { return kind; }
            public List<JobOutcome> run(List<Job> batch) {
                if (calls.incrementAndGet() == 1) {
                    throw new UnsatisfiedLinkError("libtorch_cpu.so: undefined symbol (simulated)");
                }
                return batch.stream().<JobOutcome>map(j -> new JobOutcome.Done(() -> { })).toList();
            }
        };
        enqueue(kind, 1);
        TestConfig config = new TestConfig(Duration.ofMinutes(1), 1);
        Worker worker = new Worker("worker-n", queue, List.of(crashing), config);
        assertEquals(1, worker.pollOnce(), "an Error in the batch is caught, not thrown out of the worker");
        assertEquals(1L, counts(kind).get("queued"));
        Object error = em.createNativeQuery("SELECT last_error FROM job WHERE kind = ?1").setParameter(1, kind).getSingleResult();
        assertTrue(String.valueOf(error).contains("undefined symbol"), String.valueOf(error));
    }
}
