package org.homeward.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

/**
 * Walks the audit chain in order and reports the first event that was edited, or whose predecessor is
 * gone. Plain JDBC over stored rows: the app's auditor page and the command-line verifier share it,
 * and no persistence context can hand back a cached copy instead of what is stored now.
 */
public final class AuditChain {

    private static final int FETCH_SIZE = 1000;

    private AuditChain() {
    }

    /** Walks the whole chain. */
    public static ChainVerification verify(Connection connection) throws SQLException {
        return verifyFrom(connection, ChainAnchor.GENESIS);
    }

    /**
     * Walks the chain from an anchor an earlier walk ended at: the anchor's event must still be there with its hash
     * and with as many events up to it, then every later event must link up. Edits to the content of events before
     * the anchor are left to a full walk.
     */
    public static ChainVerification verifyFrom(Connection connection, ChainAnchor from) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        // PostgreSQL's driver honours the fetch size only inside a transaction: without one it reads every row.
        if (autoCommit) {
            connection.setAutoCommit(false);
        }
        try {
            ChainVerification anchorProblem = checkAnchor(connection, from);
            return anchorProblem != null ? anchorProblem : walk(connection, from);
        } finally {
            if (autoCommit) {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        }
    }

    private static ChainVerification checkAnchor(Connection connection, ChainAnchor from) throws SQLException {
        if (from.id() == 0) {
            return null;
        }
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT (SELECT hash FROM audit_event WHERE id = ?), (SELECT count(*) FROM audit_event WHERE id <= ?)")) {
            s.setLong(1, from.id());
            s.setLong(2, from.id());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                String hash = rs.getString(1);
                long count = rs.getLong(2);
                if (hash == null) {
                    return ChainVerification.broken(from.count(), 0, from.id(), "this event, verified before, is gone");
                }
                if (!hash.equals(from.hash())) {
                    return ChainVerification.broken(from.count(), 0, from.id(), "its hash changed since it was verified");
                }
                if (count != from.count()) {
                    return ChainVerification.broken(from.count(), 0, from.id(), (from.count() - count)
                            + " event(s) up to this one, verified before, are gone (" + from.count() + " then, "
                            + count + " now)");
                }
                return null;
            }
        }
    }

    private static ChainVerification walk(Connection connection, ChainAnchor from) throws SQLException {
        String expectedPrev = from.hash();
        long lastId = from.id();
        long read = 0;
        try (PreparedStatement s = connection.prepareStatement("SELECT id, occurred_at, actor, action, object_type, "
                + "object_id, details, request_id, client_address, prev_hash, hash FROM audit_event WHERE id > ? ORDER BY id")) {
            s.setFetchSize(FETCH_SIZE);
            s.setLong(1, from.id());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    AuditEvent e = new AuditEvent();
                    e.id = rs.getLong(1);
                    e.occurredAt = rs.getObject(2, OffsetDateTime.class).toInstant();
                    e.actor = rs.getString(3);
                    e.action = rs.getString(4);
                    e.objectType = rs.getString(5);
                    e.objectId = rs.getString(6);
                    e.details = rs.getString(7);
                    e.requestId = rs.getString(8);
                    e.clientAddress = rs.getString(9);
                    e.prevHash = rs.getString(10);
                    e.hash = rs.getString(11);
                    read++;
                    if (!e.prevHash.equals(expectedPrev)) {
                        return ChainVerification.broken(from.count() + read, read, e.id,
                                "the event before it was deleted or changed");
                    }
                    if (!AuditHash.of(e).equals(e.hash)) {
                        return ChainVerification.broken(from.count() + read, read, e.id,
                                "its content was changed after it was written");
                    }
                    expectedPrev = e.hash;
                    lastId = e.id;
                }
            }
        }
        return ChainVerification.ok(new ChainAnchor(lastId, expectedPrev, from.count() + read), read);
    }
}
