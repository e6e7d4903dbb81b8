package org.homeward.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import org.homeward.testing.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The trail is hash-chained: verification passes on honest rows and names the first edited one. */
@QuarkusTest
@Tag("shared-app")
class AuditTrailTest {

    @Inject
    AuditTrail trail;

    @Inject
    ChainVerifier verifier;

    @Inject
    AuditCheckpoints checkpoints;

    @Inject
    AuditConfig auditConfig;

    /**
     * Deleting the newest events leaves a chain that still links up; the signed checkpoint written outside the
     * database finds it, and a checkpoint line edited in the file is found too.
     */
    @Test
    void deletedNewestEventsAndAnEditedCheckpointAreFoundByTheCheckpoints() throws Exception {
        QuarkusTransaction.requiringNew().call(() -> trail.recordAs("test", "test.anchored", "probe", 5, "e"));
        AuditCheckpoint checkpoint = checkpoints.write();
        assertTrue(java.nio.file.Files.readString(auditConfig.checkpointFile()).contains(checkpoint.line()),
                "the checkpoint is in the file");
        assertTrue(verifier.verify().intact(), "the trail agrees with its checkpoint");

        try (Connection c = TestDatabase.connect(TestDatabase.TEST_DB); Statement s = c.createStatement()) {
            // hold the chain's lock, so that no event is recorded while the newest ones are missing
            s.execute("SELECT pg_advisory_lock(" + 0x486f6d6577617264L + ")");
            java.util.List<String> saved = new java.util.ArrayList<>();
            try (java.sql.ResultSet rs = s.executeQuery("SELECT format('(%s,%L,%L,%L,%L,%L,%L,%L,%L,%L,%L)', id, occurred_at,"
                    + " actor, action, object_type, object_id, details, request_id, client_address, prev_hash, hash)"
                    + " FROM audit_event WHERE id >= " + checkpoint.headId() + " ORDER BY id")) {
                while (rs.next()) {
                    saved.add(rs.getString(1));
                }
            }
            s.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only");
            try {
                s.execute("DELETE FROM audit_event WHERE id >= " + checkpoint.headId());
                ChainVerification viewed = verifier.verify();
                assertFalse(viewed.intact(), "the newest events deleted, seen from the last verification's anchor");
                // a full walk, as after a restart when no anchor is known: only the checkpoint remembers them
                ChainVerification cut = verifier.verifyFully();
                assertFalse(cut.intact(), "the newest events deleted: " + cut);
                assertTrue(cut.problem().contains("saw event " + checkpoint.headId() + ", which is gone"), cut.problem());
            } finally {
                s.execute("INSERT INTO audit_event (id, occurred_at, actor, action, object_type, object_id, details,"
                        + " request_id, client_address, prev_hash, hash) VALUES " + String.join(", ", saved));
                s.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only");
                s.execute("SELECT pg_advisory_unlock(" + 0x486f6d6577617264L + ")");
            }
        }
        assertTrue(verifier.verify().intact(), "restored, the trail agrees again");

        java.nio.file.Path file = auditConfig.checkpointFile();
        String honest = java.nio.file.Files.readString(file);
        try {
            java.nio.file.Files.writeString(file, honest + checkpoint.line().replace("count=" + checkpoint.count(),
                    "count=" + (checkpoint.count() - 1)) + "\n");
            ChainVerification edited = verifier.verify();
            assertFalse(edited.intact());
            assertTrue(edited.problem().contains("not signed with this installation's key"), edited.problem());
        } finally {
            java.nio.file.Files.writeString(file, honest);
        }
    }

    @Test
    void chainVerifiesAndAnEditedRowIsFound() throws Exception {
        AuditEvent first = QuarkusTransaction.requiringNew()
                .call(() -> trail.recordAs("test", "test.first", "probe", 1, "a"));
        AuditEvent second = QuarkusTransaction.requiringNew()
                .call(() -> trail.recordAs("test", "test.second", "probe", 2, "b"));
        assertEquals(first.hash, second.prevHash, "each event points at the one before");

        ChainVerification honest = verifier.verifyFully();
        assertTrue(honest.intact(), "honest chain: " + honest);
        assertTrue(honest.eventsChecked() >= 2);

        String database = TestDatabase.TEST_DB;
        try (Connection c = TestDatabase.connect(database); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only");
            try {
                s.execute("UPDATE audit_event SET details = 'forged' WHERE id = " + first.id);
                ChainVerification tampered = verifier.verifyFully();
                assertFalse(tampered.intact());
                assertEquals(first.id, tampered.firstBrokenEventId());
            } finally {
                s.execute("UPDATE audit_event SET details = 'a' WHERE id = " + first.id);
                s.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only");
            }
        }
        assertTrue(verifier.verifyFully().intact(), "restored row verifies again");
    }

    @Test
    void updateDeleteAndTruncateAreRefusedAndChangeNothing() throws Exception {
        QuarkusTransaction.requiringNew().call(() -> trail.recordAs("test", "test.kept", "probe", 3, "c"));
        try (Connection c = TestDatabase.connect(TestDatabase.TEST_DB); Statement s = c.createStatement()) {
            long before = count(s);
            for (String sql : java.util.List.of("UPDATE audit_event SET details = 'forged'", "DELETE FROM audit_event",
                    "TRUNCATE audit_event", "TRUNCATE audit_event CASCADE")) {
                java.sql.SQLException e = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                        () -> s.execute(sql), sql);
                assertTrue(e.getMessage().contains("append-only"), sql + ": " + e.getMessage());
            }
            assertEquals(before, count(s), "every event is still there");
        }
        assertTrue(verifier.verify().intact());
    }

    @Test
    void theAppsRoleCannotDisableTheTriggersOrChangeTheTrail() throws Exception {
        QuarkusTransaction.requiringNew().call(() -> trail.recordAs("test", "test.guarded", "probe", 4, "d"));
        try (Connection c = java.sql.DriverManager.getConnection(TestDatabase.url(TestDatabase.TEST_DB),
                TestDatabase.APP_USER, TestDatabase.APP_PASSWORD); Statement s = c.createStatement()) {
            long before = count(s);
            for (String sql : java.util.List.of("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only",
                    "ALTER TABLE audit_event DISABLE TRIGGER ALL", "DROP TRIGGER audit_event_no_truncate ON audit_event",
                    "UPDATE audit_event SET details = 'forged'", "DELETE FROM audit_event", "TRUNCATE audit_event")) {
                java.sql.SQLException e = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                        () -> s.execute(sql), sql);
                String m = e.getMessage();
                assertTrue(m.contains("permission denied") || m.contains("must be owner"), sql + ": " + m);
            }
            assertEquals(before, count(s), "the app's role still reads the whole trail");
        }
    }

    /**
     * A page view reads only the events written since the last verification; an event deleted before that point is
     * still found (fewer events up to the anchor), and an older event's edited content is left to the full walk,
     * which finds it.
     */
    @Test
    void aVerificationReadsOnlyNewEventsAndStillFindsADeletionBeforeThem() throws Exception {
        AuditEvent older = QuarkusTransaction.requiringNew()
                .call(() -> trail.recordAs("test", "test.older", "probe", 6, "f"));
        ChainVerification full = verifier.verifyFully();
        assertTrue(full.intact(), full.toString());
        assertEquals(full.eventsChecked(), full.eventsRead(), "a full walk reads every event");
        QuarkusTransaction.requiringNew().call(() -> trail.recordAs("test", "test.newer", "probe", 7, "g"));
        ChainVerification next = verifier.verify();
        assertTrue(next.intact(), next.toString());
        assertTrue(next.eventsRead() >= 1 && next.eventsRead() < next.eventsChecked(),
                "only the events since the last verification were read: " + next);
        assertTrue(next.eventsChecked() > full.eventsChecked(), next.toString());

        try (Connection c = TestDatabase.connect(TestDatabase.TEST_DB); Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + 0x486f6d6577617264L + ")");
            String saved;
            try (java.sql.ResultSet rs = s.executeQuery("SELECT format('(%s,%L,%L,%L,%L,%L,%L,%L,%L,%L,%L)', id,"
                    + " occurred_at, actor, action, object_type, object_id, details, request_id, client_address,"
                    + " prev_hash, hash) FROM audit_event WHERE id = " + older.id)) {
                rs.next();
                saved = rs.getString(1);
            }
            s.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only");
            try {
                s.execute("UPDATE audit_event SET details = 'forged' WHERE id = " + older.id);
                assertTrue(verifier.verify().intact(), "an edit before the anchor is not what a page view reads");
                ChainVerification walked = verifier.verifyFully();
                assertFalse(walked.intact());
                assertEquals(older.id, walked.firstBrokenEventId(), "the full walk finds the edited event");
                s.execute("UPDATE audit_event SET details = 'f' WHERE id = " + older.id);
                assertTrue(verifier.verify().intact(), "restored; with no anchor after the break, this walks in full");

                s.execute("DELETE FROM audit_event WHERE id = " + older.id);
                ChainVerification cut = verifier.verify();
                assertFalse(cut.intact(), "an event deleted before the anchor: " + cut);
                assertTrue(cut.problem().contains("are gone"), cut.problem());
            } finally {
                s.execute("INSERT INTO audit_event (id, occurred_at, actor, action, object_type, object_id, details,"
                        + " request_id, client_address, prev_hash, hash) VALUES " + saved + " ON CONFLICT (id) DO NOTHING");
                s.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only");
                s.execute("SELECT pg_advisory_unlock(" + 0x486f6d6577617264L + ")");
            }
        }
        assertTrue(verifier.verifyFully().intact(), "restored, the whole chain verifies again");
    }

    private static long count(Statement s) throws java.sql.SQLException {
        try (java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM audit_event")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
