package org.homeward.audit;

/**
 * The result of walking the audit chain: how many events it holds up to where it was checked, how many this
 * verification read (fewer than that when it started from an earlier one's anchor), the first broken link, and the
 * anchor a later verification may start from (null when broken).
 */
public record ChainVerification(long eventsChecked, long eventsRead, boolean intact, Long firstBrokenEventId,
        String problem, ChainAnchor head) {

    static ChainVerification ok(ChainAnchor head, long read) {
        return new ChainVerification(head.count(), read, true, null, null, head);
    }

    static ChainVerification broken(long checked, long read, Long eventId, String problem) {
        return new ChainVerification(checked, read, false, eventId, problem, null);
    }

    /** The chain links up but disagrees with a checkpoint written outside the database: its newest events went. */
    ChainVerification unanchored(String problem) {
        return new ChainVerification(eventsChecked, eventsRead, false, null, problem, null);
    }
}
