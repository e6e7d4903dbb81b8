package org.homeward.faces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.Set;
import java.util.TreeSet;
import org.homeward.faces.index.FaceIndex;
import org.homeward.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Below {@link FaceIndex#EXACT_UP_TO} vectors a search is exact: it reads every vector rather than the HNSW graph
 * (whose answer, on a small graph of near-duplicates, once lost a face: docs/performance.md), so the same photo of a
 * child on several cases (identical vectors, as when a poster photo is filed twice) comes back whole, every copy at
 * distance 0.
 */
class ExactSearchTest {

    private static final String MODEL = "test-exact";
    private static final int PEOPLE = 40;
    private static final int COPIES = 3;
    private static String database;
    private static float[][] vectors;

    @BeforeAll
    static void fill() throws SQLException {
        database = TestDatabase.createMigrated("homeward_exact_search");
        Random random = new Random(11);
        vectors = new float[PEOPLE][];
        try (Connection c = TestDatabase.connect(database); Statement s = c.createStatement()) {
            PGvector.addVectorType(c);
            int faces = PEOPLE * COPIES;
            s.execute("INSERT INTO photo (sha256, content_type, byte_size, width, height, uploaded_by)"
                    + " SELECT lpad(to_hex(g), 64, '0'), 'image/jpeg', 1, 10, 10, 'test' FROM generate_series(1, " + faces + ") g");
            s.execute("INSERT INTO face (photo_id, face_index, box_x, box_y, box_width, box_height, detection_score, landmarks, usable)"
                    + " SELECT id, 0, 0, 0, 10, 10, 1, '{0,0,0,0,0,0,0,0,0,0}', true FROM photo");
            s.execute("INSERT INTO case_file (reference, child_name, unit, created_by, updated_by)"
                    + " SELECT 'HW-E-' || id, 'child ' || id, 'north', 'test', 'test' FROM photo");
            s.execute("INSERT INTO case_photo (case_id, photo_id, added_by)"
                    + " SELECT c.id, p.id, 'test' FROM case_file c JOIN photo p ON c.reference = 'HW-E-' || p.id");
            s.execute("CREATE INDEX embedding_test_exact_hnsw ON embedding USING hnsw ((vector::vector(128)) vector_cosine_ops)"
                    + " WHERE model_id = '" + MODEL + "'");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO embedding (face_id, model_id, kind, vector)"
                    + " SELECT f.id, ?, 'original', ? FROM face f JOIN photo p ON p.id = f.photo_id WHERE p.sha256 = lpad(to_hex(?), 64, '0')")) {
                for (int person = 0; person < PEOPLE; person++) {
                    vectors[person] = TransformIndexTest.randomUnit(random);
                    for (int copy = 0; copy < COPIES; copy++) {
                        insert.setString(1, MODEL);
                        insert.setObject(2, new PGvector(vectors[person]));
                        insert.setInt(3, 1 + person * COPIES + copy);
                        insert.addBatch();
                    }
                }
                insert.executeBatch();
            }
            s.execute("ANALYZE");
        }
    }

    @Test
    void aSmallIndexIsSearchedByReadingEveryVector() throws SQLException {
        try (Connection c = TestDatabase.connect(database)) {
            c.setAutoCommit(false);
            PGvector.addVectorType(c);
            List<String> statements = new ArrayList<>();
            FaceIndex.nearest(TransformIndexTest.recording(c, statements), MODEL, vectors[0], 10, FaceIndex.Scope.OPEN_CASES);
            String select = statements.stream().filter(sql -> sql.startsWith("SELECT")).findFirst().orElseThrow();
            StringBuilder plan = new StringBuilder();
            try (PreparedStatement explain = c.prepareStatement("EXPLAIN " + select)) {
                explain.setObject(1, new PGvector(vectors[0]));
                explain.setString(2, MODEL);
                explain.setObject(3, new PGvector(vectors[0]));
                try (ResultSet rs = explain.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
            }
            c.rollback();
            assertFalse(plan.toString().contains("embedding_test_exact_hnsw"), "a small index is searched exactly:\n" + plan);
            assertTrue(plan.toString().contains("Seq Scan on embedding"), plan.toString());
        }
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        TestDatabase.drop(database);
    }

    @Test
    void everyCopyOfAFaceComesBackFirstAtDistanceZero() throws SQLException {
        try (Connection c = TestDatabase.connect(database)) {
            c.setAutoCommit(false);
            PGvector.addVectorType(c);
            for (int person = 0; person < PEOPLE; person++) {
                List<FaceIndex.Neighbour> found = FaceIndex.nearest(c, MODEL, vectors[person], 10, FaceIndex.Scope.OPEN_CASES);
                c.rollback();
                Set<Long> cases = new TreeSet<>();
                List<Double> distances = new ArrayList<>();
                for (FaceIndex.Neighbour n : found.subList(0, COPIES)) {
                    cases.add(n.ownerId());
                    distances.add(n.distance());
                }
                assertEquals(COPIES, cases.size(), "person " + person + ": every case holding the photo, found " + found);
                assertTrue(distances.stream().allMatch(d -> d < 1e-6), "person " + person + ": " + distances);
                assertTrue(found.get(COPIES).distance() > 0.1, "then other people: " + found.get(COPIES));
            }
        }
    }
}
