package org.homeward.worker;

import java.util.List;

/** Does one kind of job. The worker claims batches of that kind and hands them over. */
public interface JobHandler {

    /** Who the audit trail names for what a job does: the worker, not the person who caused the job. */
    String ACTOR = "system:worker";

    String kind();

    /**
     * Work nobody is waiting for (projections, a case's search over past sightings, an index rebuild): the worker takes
     * it one job at a time and only when no interactive job (a photo to analyse, a sighting to search) waits, so a
     * person's upload or sighting never queues behind a backlog of it.
     */
    default boolean background() {
        return false;
    }

    /**
     * Does the work for a batch, outside any transaction (model inference can take seconds), and returns
     * one outcome per job, in the batch's order. Saving happens later, in {@link JobOutcome.Done#save()}.
     */
    List<JobOutcome> run(List<Job> batch);

    /** Called in a transaction of its own when a job has failed for good, to record why where people see it. */
    default void gaveUp(Job job, String reason) {
    }
}
