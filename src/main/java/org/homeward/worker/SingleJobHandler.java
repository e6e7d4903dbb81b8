package org.homeward.worker;

import java.util.List;

/**
 * A handler whose jobs are each done on their own: nothing is shared across a batch (as the photo job shares one
 * embedding batch among its photos), so it says what one job does and the batch is that, job by job.
 */
public interface SingleJobHandler extends JobHandler {

    /** Does one job of the batch, outside any transaction, as {@link JobHandler#run(List)} says. */
    JobOutcome runOne(Job job);

    @Override
    default List<JobOutcome> run(List<Job> batch) {
        return batch.stream().map(this::runOne).toList();
    }
}
