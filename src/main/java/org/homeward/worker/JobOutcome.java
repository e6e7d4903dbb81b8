package org.homeward.worker;

/** What came of one job: results to save, or why it failed and whether trying again could help. */
public sealed interface JobOutcome {

    /** Saves the job's results; runs in the transaction that marks the job done, so both or neither happen. */
    record Done(Runnable save) implements JobOutcome {
    }

    record Failed(String reason, boolean retryable) implements JobOutcome {
    }
}
