package org.homeward.tools.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.homeward.testing.TestDatabase;
import org.junit.jupiter.api.Test;

/** Dropping databases on the real PostgreSQL as the owner role, which is not a superuser. */
class ScratchDatabaseTest {

    /**
     * CI once failed here: WITH (FORCE) was refused ("must be a member of the role whose process is being
     * terminated") because autovacuum had come into a fresh database.
     */
    @Test
    void dropsADatabaseThatAnAutovacuumWorkerIsIn() throws Exception {
        String name = TestDatabase.createEmpty("homeward_autovacuum");
        try {
            try (Connection c = TestDatabase.connect(name); Statement s = c.createStatement()) {
                // dead rows for autovacuum to find, vacuumed slowly enough that the worker is still there
                s.execute("CREATE TABLE t (id int) WITH (autovacuum_vacuum_threshold = 0,"
                        + " autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_cost_delay = 100,"
                        + " autovacuum_vacuum_cost_limit = 1)");
                s.execute("INSERT INTO t SELECT generate_series(1, 200000)");
                s.execute("DELETE FROM t");
            }
            assumeTrue(awaitOtherSession(name, 120), "autovacuum did not come into " + name
                    + " within 120 s (is it off?): nothing to drop it from under");

            ScratchDatabase.dropIfExists(name);

            assertFalse(ScratchDatabase.exists(name), name + " is still there");
        } finally {
            TestDatabase.drop(name);
        }
    }

    private static boolean awaitOtherSession(String database, int seconds) throws SQLException, InterruptedException {
        try (Connection c = TestDatabase.connect("postgres");
                PreparedStatement q = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE datname = ?")) {
            q.setString(1, database);
            for (int i = 0; i < seconds; i++) {
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return true;
                    }
                }
                Thread.sleep(1000);
            }
            return false;
        }
    }
}
