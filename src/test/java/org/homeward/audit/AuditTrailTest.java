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
import org.junit.jupiter.api.Test;

/** The trail is hash-chained: verification passes on honest rows and names the first edited one. */
@QuarkusTest
class AuditTrailTest {

    @Inject
    AuditTrail trail;

    @Test
    void chainVerifiesAndAnEditedRowIsFound() throws Exception {
        AuditEvent first = QuarkusTransaction.requiringNew()
                .call(() -> trail.recordAs("test", "test.first", "probe", 1, "a"));
        AuditEvent second = QuarkusTransaction.requiringNew()
                .call(() -> trail.recordAs("test", "test.second", "probe", 2, "b"));
        assertEquals(first.hash, second.prevHash, "each event points at the one before");

        ChainVerification honest = trail.verify();
        assertTrue(honest.intact(), "honest chain: " + honest);
        assertTrue(honest.eventsChecked() >= 2);

        String database = TestDatabase.TEST_DB;
        try (Connection c = TestDatabase.connect(database); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only");
            try {
                s.execute("UPDATE audit_event SET details = 'forged' WHERE id = " + first.id);
                ChainVerification tampered = trail.verify();
                assertFalse(tampered.intact());
                assertEquals(first.id, tampered.firstBrokenEventId());
            } finally {
                s.execute("UPDATE audit_event SET details = 'a' WHERE id = " + first.id);
                s.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only");
            }
        }
        assertTrue(trail.verify().intact(), "restored row verifies again");
    }
}
