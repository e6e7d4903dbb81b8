package org.homeward.audit;

/**
 * Where a verified stretch of the audit chain ends: its newest event, that event's hash and how many events lead up
 * to it. A later verification starts here and reads only the events written since.
 */
public record ChainAnchor(long id, String hash, long count) {

    /** Before the first event. */
    static final ChainAnchor GENESIS = new ChainAnchor(0, AuditHash.GENESIS, 0);
}
