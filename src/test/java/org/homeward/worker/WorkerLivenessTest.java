package org.homeward.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When the worker counts as stuck: a dead thread, or silence longer than a lease while jobs wait. */
class WorkerLivenessTest {

    private static final Duration LIMIT = Duration.ofMinutes(7);
    private static final long NOW = 10_000_000L;

    @Test
    void aDeadThreadIsStuckWhateverTheQueue() {
        assertEquals("worker thread w#0 has died",
                WorkerLiveness.stuck(List.of(new WorkerLiveness.Beat("w#0", NOW, false)), NOW, LIMIT, () -> false));
    }

    @Test
    void silenceLongerThanTheLimitIsStuckOnlyWhileJobsWait() {
        List<WorkerLiveness.Beat> silent = List.of(new WorkerLiveness.Beat("w#0", NOW - LIMIT.toMillis() - 1000, true));
        assertEquals("worker w#0 has not come round its loop for 421 s while jobs wait",
                WorkerLiveness.stuck(silent, NOW, LIMIT, () -> true));
        assertNull(WorkerLiveness.stuck(silent, NOW, LIMIT, () -> false), "nothing waits: nothing is held up");
    }

    @Test
    void aWorkerInsideItsLimitIsAlive() {
        assertNull(WorkerLiveness.stuck(List.of(new WorkerLiveness.Beat("w#0", NOW - 60_000, true)), NOW, LIMIT, () -> true));
    }
}
