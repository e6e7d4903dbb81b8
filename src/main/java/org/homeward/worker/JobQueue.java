package org.homeward.worker;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The job queue, a table in the same database. Jobs are claimed with FOR UPDATE SKIP LOCKED under a
 * lease: a worker that dies simply lets its leases run out, and its jobs are claimed again.
 */
@ApplicationScoped
public class JobQueue {

    @Inject
    EntityManager em;

    @Inject
    WorkerConfig config;

    /** Queues a job, or re-queues one that already finished; a job already waiting or running is left alone. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void enqueue(String kind, long subjectId) {
        em.createNativeQuery("""
                INSERT INTO job (kind, subject_id, max_attempts) VALUES (?1, ?2, ?3)
                ON CONFLICT (kind, subject_id) DO UPDATE
                   SET state = 'queued', attempts = 0, run_after = now(), last_error = NULL,
                       leased_by = NULL, lease_expires_at = NULL, finished_at = NULL
                 WHERE job.state IN ('done', 'failed')""")
                .setParameter(1, kind).setParameter(2, subjectId).setParameter(3, config.maxAttempts())
                .executeUpdate();
    }

    /**
     * Gives up the jobs of one kind whose lease ran out on their last attempt: each time a worker took them
     * it stopped before finishing (a crash, a native failure, a kill), so taking them again would loop
     * forever. They end failed with that reason; the caller tells their handler ({@link JobHandler#gaveUp}).
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<Job> abandonCrashed(String kind) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                UPDATE job SET state = 'failed', finished_at = now(), leased_by = NULL, lease_expires_at = NULL,
                       last_error = left('the worker stopped before finishing it on each of its ' || attempts
                           || ' attempts (its lease ran out)' || coalesce('; last error: ' || last_error, ''), 2000)
                 WHERE id IN (SELECT id FROM job
                               WHERE kind = ?1 AND state = 'running' AND lease_expires_at < now()
                                 AND attempts >= max_attempts
                               FOR UPDATE SKIP LOCKED)
                RETURNING id, subject_id, attempts, max_attempts, last_error""")
                .setParameter(1, kind).getResultList();
        return rows.stream()
                .map(r -> new Job(((Number) r[0]).longValue(), kind, ((Number) r[1]).longValue(),
                        ((Number) r[2]).intValue(), ((Number) r[3]).intValue()))
                .toList();
    }

    /**
     * Claims up to {@code limit} ready jobs of one kind: queued ones whose time has come, and expired leases
     * that have attempts left (see {@link #abandonCrashed}).
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<Job> claim(String kind, String workerId, int limit, Duration lease) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                UPDATE job SET state = 'running', leased_by = ?1, attempts = attempts + 1,
                       lease_expires_at = now() + make_interval(secs => ?2)
                 WHERE id IN (SELECT id FROM job
                               WHERE kind = ?3
                                 AND ((state = 'queued' AND run_after <= now())
                                   OR (state = 'running' AND lease_expires_at < now() AND attempts < max_attempts))
                               ORDER BY id
                               LIMIT ?4
                               FOR UPDATE SKIP LOCKED)
                RETURNING id, subject_id, attempts, max_attempts""")
                .setParameter(1, workerId).setParameter(2, (double) lease.toMillis() / 1000.0)
                .setParameter(3, kind).setParameter(4, limit)
                .getResultList();
        return rows.stream()
                .map(r -> new Job(((Number) r[0]).longValue(), kind, ((Number) r[1]).longValue(),
                        ((Number) r[2]).intValue(), ((Number) r[3]).intValue()))
                .sorted(Comparator.comparingLong(Job::id))
                .toList();
    }

    /**
     * Marks the job done if this worker still holds its lease. Call it in the transaction that saves the
     * job's results: when it answers false the lease was lost, and rolling back keeps the job exactly-once.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean complete(Job job, String workerId) {
        return em.createNativeQuery("""
                UPDATE job SET state = 'done', finished_at = now(), leased_by = NULL, lease_expires_at = NULL,
                       last_error = NULL
                 WHERE id = ?1 AND leased_by = ?2 AND state = 'running'""")
                .setParameter(1, job.id()).setParameter(2, workerId)
                .executeUpdate() == 1;
    }

    /**
     * Records a failed attempt: the job waits (back-off doubling each attempt) and runs again, or, on its
     * last attempt or when retrying cannot help, stays failed with the error. Returns true when it gave up.
     */
    @Transactional(Transactional.TxType.REQUIRED)
    public boolean fail(Job job, String workerId, String error, boolean retryable, Duration backoff) {
        boolean giveUp = !retryable || job.isLastAttempt();
        double backoffSeconds = backoff.toMillis() / 1000.0 * Math.pow(2, Math.max(0, job.attempt() - 1));
        int updated = em.createNativeQuery("""
                UPDATE job SET state = CASE WHEN ?1 THEN 'failed' ELSE 'queued' END,
                       last_error = ?2, leased_by = NULL, lease_expires_at = NULL,
                       run_after = now() + make_interval(secs => ?3),
                       finished_at = CASE WHEN ?1 THEN now() END
                 WHERE id = ?4 AND leased_by = ?5 AND state = 'running'""")
                .setParameter(1, giveUp).setParameter(2, truncate(error)).setParameter(3, backoffSeconds)
                .setParameter(4, job.id()).setParameter(5, workerId)
                .executeUpdate();
        return giveUp && updated == 1;
    }

    /** Jobs per state for one kind, for progress and metrics. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, Long> countsByState(String kind) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT state, count(*) FROM job WHERE kind = ?1 GROUP BY state")
                .setParameter(1, kind).getResultList();
        Map<String, Long> counts = new TreeMap<>();
        for (String state : List.of("queued", "running", "done", "failed")) {
            counts.put(state, 0L);
        }
        rows.forEach(r -> counts.put((String) r[0], ((Number) r[1]).longValue()));
        return counts;
    }

    private static String truncate(String error) {
        String text = error == null ? "unknown error" : error;
        return text.length() > 2000 ? text.substring(0, 2000) : text;
    }
}
