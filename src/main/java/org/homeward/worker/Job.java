package org.homeward.worker;

/** A job a worker has claimed: what to do (kind) to which row (subject), and which attempt this is. */
public record Job(long id, String kind, long subjectId, int attempt, int maxAttempts) {

    public boolean isLastAttempt() {
        return attempt >= maxAttempts;
    }
}
