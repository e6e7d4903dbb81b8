package org.homeward.audit;

/** The result of walking the audit chain: how many events were checked and the first broken link. */
public record ChainVerification(long eventsChecked, boolean intact, Long firstBrokenEventId, String problem) {

    static ChainVerification ok(long checked) {
        return new ChainVerification(checked, true, null, null);
    }

    static ChainVerification broken(long checked, long eventId, String problem) {
        return new ChainVerification(checked, false, eventId, problem);
    }

    /** The chain links up but disagrees with a checkpoint written outside the database: its newest events went. */
    static ChainVerification unanchored(long checked, String problem) {
        return new ChainVerification(checked, false, null, problem);
    }
}
