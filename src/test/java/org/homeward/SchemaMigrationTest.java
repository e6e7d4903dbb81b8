package org.homeward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pgvector.PGvector;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.flywaydb.core.Flyway;
import org.homeward.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** db-migrations/ builds the whole schema on an empty database, and pgvector answers through an HNSW index. */
class SchemaMigrationTest {

    private static String database;

    @BeforeAll
    static void migrateEmptyDatabase() throws SQLException {
        database = TestDatabase.createEmpty("homeward_migration");
        Flyway.configure()
                .dataSource(TestDatabase.url(database), TestDatabase.USER, TestDatabase.PASSWORD)
                .locations("filesystem:db-migrations")
                .placeholders(java.util.Map.of("app_role", TestDatabase.APP_USER))
                .load()
                .migrate();
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        TestDatabase.drop(database);
    }

    @Test
    void createsTheFoundationTables() throws SQLException {
        try (Connection c = TestDatabase.connect(database)) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getTables(null, "public", "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            assertTrue(tables.containsAll(List.of("case_file", "audit_event")), "tables: " + tables);
        }
    }

    @Test
    void auditTrailRefusesUpdatesAndDeletes() throws SQLException {
        try (Connection c = TestDatabase.connect(database); Statement s = c.createStatement()) {
            s.execute("INSERT INTO audit_event (occurred_at, actor, action, prev_hash, hash) "
                    + "VALUES (now(), 'test', 'probe', 'x', 'h-" + System.nanoTime() + "')");
            SQLException update = assertThrows(SQLException.class, () -> s.execute("UPDATE audit_event SET actor = 'y'"));
            assertTrue(update.getMessage().contains("append-only"), update.getMessage());
            assertThrows(SQLException.class, () -> s.execute("DELETE FROM audit_event"));
        }
    }

    @Test
    void cosineNearestNeighbourComesBackThroughTheHnswIndex() throws SQLException {
        Random random = new Random(42);
        try (Connection c = TestDatabase.connect(database); Statement s = c.createStatement()) {
            PGvector.addVectorType(c);
            s.execute("CREATE TABLE probe_vectors (id int PRIMARY KEY, v vector(64))");
            // Clustered data, as faces are: 100 centres with 20 noisy members each.
            float[][] centres = new float[100][64];
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO probe_vectors VALUES (?, ?)")) {
                for (int i = 0; i < 2000; i++) {
                    float[] centre = centres[i % 100];
                    if (i < 100) {
                        for (int d = 0; d < 64; d++) {
                            centre[d] = (float) random.nextGaussian();
                        }
                    }
                    float[] v = new float[64];
                    for (int d = 0; d < 64; d++) {
                        v[d] = centre[d] + 0.3f * (float) random.nextGaussian();
                    }
                    insert.setInt(1, i);
                    insert.setObject(2, new PGvector(v));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            s.execute("CREATE INDEX probe_vectors_hnsw ON probe_vectors USING hnsw (v vector_cosine_ops)");
            s.execute("ANALYZE probe_vectors");
            s.execute("SET enable_seqscan = off");

            // The query is member 1234 itself, slightly moved: it must come back first.
            float[] query = new float[64];
            try (ResultSet rs = s.executeQuery("SELECT v FROM probe_vectors WHERE id = 1234")) {
                rs.next();
                query = ((PGvector) rs.getObject(1)).toArray();
            }
            query[0] += 0.01f;
            String sql = "SELECT id FROM probe_vectors ORDER BY v <=> ? LIMIT 5";
            try (PreparedStatement q = c.prepareStatement("EXPLAIN " + sql)) {
                q.setObject(1, new PGvector(query));
                StringBuilder plan = new StringBuilder();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
                assertTrue(plan.toString().contains("probe_vectors_hnsw"), "plan does not use the HNSW index:\n" + plan);
            }
            try (PreparedStatement q = c.prepareStatement(sql)) {
                q.setObject(1, new PGvector(query));
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    assertEquals(1234, rs.getInt(1));
                }
            }
        }
    }
}
