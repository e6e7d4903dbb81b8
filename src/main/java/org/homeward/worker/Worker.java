package org.homeward.worker;

import io.quarkus.narayana.jta.QuarkusTransaction;
import java.util.List;
import org.jboss.logging.Logger;

/** One worker: claims a batch of jobs, runs it, and saves each result with its completion, exactly once. */
public class Worker {

    private static final Logger LOG = Logger.getLogger(Worker.class);

    private final String id;
    private final JobQueue queue;
    private final List<JobHandler> handlers;
    private final WorkerConfig config;
    /** The handler whose turn it is among the background kinds: one worker thread owns each Worker. */
    private int nextBackground;

    public Worker(String id, JobQueue queue, List<JobHandler> handlers, WorkerConfig config) {
        this.id = id;
        this.queue = queue;
        this.handlers = handlers;
        this.config = config;
    }

    public String id() {
        return id;
    }

    /**
     * Claims and runs at most one batch of each interactive kind; when there was none, one background job
     * ({@link JobHandler#background()}), the background kinds taking turns so that a backlog of one (projections of
     * many cases) never starves another (a case's search over past sightings, an index rebuild). Returns how many
     * jobs it finished or failed.
     */
    public int pollOnce() {
        int handled = 0;
        for (JobHandler handler : handlers) {
            handled += abandonCrashed(handler);
        }
        int interactive = 0;
        for (JobHandler handler : handlers) {
            if (!handler.background()) {
                interactive += claimAndRun(handler, config.batchSize());
            }
        }
        if (interactive > 0) {
            return handled + interactive; // look for interactive work again before any background job
        }
        for (int i = 0; i < handlers.size(); i++) {
            int turn = (nextBackground + i) % handlers.size();
            JobHandler handler = handlers.get(turn);
            if (handler.background()) {
                int ran = claimAndRun(handler, 1);
                if (ran > 0) {
                    nextBackground = turn + 1;
                    return handled + ran;
                }
            }
        }
        return handled;
    }

    private int abandonCrashed(JobHandler handler) {
        int handled = 0;
        for (Job crashed : queue.abandonCrashed(handler.kind())) {
            LOG.errorf("worker %s: gave up %s job %d (subject %d): the worker stopped before finishing it on each of "
                    + "its %d attempts", id, handler.kind(), crashed.id(), crashed.subjectId(), crashed.attempt());
            QuarkusTransaction.requiringNew().run(() -> handler.gaveUp(crashed,
                    "the worker stopped before finishing it on each of its " + crashed.attempt() + " attempts"));
            handled++;
        }
        return handled;
    }

    private int claimAndRun(JobHandler handler, int limit) {
        List<Job> batch = queue.claim(handler.kind(), id, limit, config.lease());
        return batch.isEmpty() ? 0 : runBatch(handler, batch);
    }

    private int runBatch(JobHandler handler, List<Job> batch) {
        List<JobOutcome> outcomes;
        try {
            outcomes = handler.run(batch);
        } catch (RuntimeException | LinkageError | OutOfMemoryError e) {
            // The whole batch failed (a model that would not load, a native library error, a photo too large for
            // the heap): every job gets a retry, and the thread lives on to take the next batch.
            LOG.errorf(e, "worker %s: batch of %d %s jobs failed", id, batch.size(), handler.kind());
            outcomes = batch.stream().<JobOutcome>map(j -> new JobOutcome.Failed(describe(e), true)).toList();
        }
        for (int i = 0; i < batch.size(); i++) {
            settle(handler, batch.get(i), outcomes.get(i));
        }
        return batch.size();
    }

    private void settle(JobHandler handler, Job job, JobOutcome outcome) {
        if (outcome instanceof JobOutcome.Done done) {
            try {
                QuarkusTransaction.requiringNew().run(() -> {
                    if (!queue.complete(job, id)) {
                        throw new LeaseLost();
                    }
                    done.save().run();
                });
            } catch (LeaseLost e) {
                LOG.warnf("worker %s: lease on job %d ran out before it finished; its result is dropped", id, job.id());
            } catch (RuntimeException e) {
                LOG.errorf(e, "worker %s: saving job %d failed", id, job.id());
                fail(handler, job, describe(e), true);
            }
        } else if (outcome instanceof JobOutcome.Failed failed) {
            fail(handler, job, failed.reason(), failed.retryable());
        }
    }

    private void fail(JobHandler handler, Job job, String reason, boolean retryable) {
        QuarkusTransaction.requiringNew().run(() -> {
            if (queue.fail(job, id, reason, retryable, config.backoff())) {
                handler.gaveUp(job, reason);
            }
        });
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** The job's lease passed to another worker: this result must not be saved. */
    private static final class LeaseLost extends RuntimeException {
        LeaseLost() {
            super(null, null, false, false);
        }
    }
}
