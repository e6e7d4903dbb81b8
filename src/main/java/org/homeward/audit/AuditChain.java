package org.homeward.audit;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Walks the audit chain in order and reports the first event that was edited, or whose predecessor is
 * gone. Plain JDBC over stored rows: the app's auditor page and the command-line verifier share it,
 * and no persistence context can hand back a cached copy instead of what is stored now.
 */
public final class AuditChain {

    private AuditChain() {
    }

    public static ChainVerification verify(Connection connection) throws SQLException {
        String expectedPrev = AuditHash.GENESIS;
        long checked = 0;
        try (Statement s = connection.createStatement()) {
            s.setFetchSize(1000);
            try (ResultSet rs = s.executeQuery("SELECT id, occurred_at, actor, action, object_type, object_id, "
                    + "details, request_id, client_address, prev_hash, hash FROM audit_event ORDER BY id")) {
                while (rs.next()) {
                    AuditEvent e = new AuditEvent();
                    e.id = rs.getLong(1);
                    e.occurredAt = rs.getObject(2, java.time.OffsetDateTime.class).toInstant();
                    e.actor = rs.getString(3);
                    e.action = rs.getString(4);
                    e.objectType = rs.getString(5);
                    e.objectId = rs.getString(6);
                    e.details = rs.getString(7);
                    e.requestId = rs.getString(8);
                    e.clientAddress = rs.getString(9);
                    e.prevHash = rs.getString(10);
                    e.hash = rs.getString(11);
                    checked++;
                    if (!e.prevHash.equals(expectedPrev)) {
                        return ChainVerification.broken(checked, e.id, "the event before it was deleted or changed");
                    }
                    if (!AuditHash.of(e).equals(e.hash)) {
                        return ChainVerification.broken(checked, e.id, "its content was changed after it was written");
                    }
                    expectedPrev = e.hash;
                }
            }
        }
        return ChainVerification.ok(checked);
    }
}
