package org.homeward.faces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pgvector.PGvector;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.homeward.faces.index.FaceIndex;
import org.homeward.models.EmbeddingTransform;
import org.homeward.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * V12's partial HNSW index (V6's for v1) serves the transform's vectors: the very SQL {@link FaceIndex#nearest} runs (caught
 * on its way to the driver) is planned through it, and its answers are the true nearest faces.
 */
class TransformIndexTest {

    private static final Path PACKAGE = Path.of("deploy/models/packages", ModelBundle.TRANSFORM);
    /**
     * Enough that the planner prefers the index to scanning and sorting, as it will on a real index, and that
     * FaceIndex searches through the index at all: two vectors a face, above {@link FaceIndex#EXACT_UP_TO}.
     */
    private static final int FACES = (int) (FaceIndex.EXACT_UP_TO * 3 / 4);
    private static String database;
    private static String model;
    private static float[][] vectors;

    @BeforeAll
    static void migrateAndFill() throws SQLException {
        EmbeddingTransform transform = EmbeddingTransform.open(PACKAGE);
        model = transform.modelId();
        assertEquals(128, transform.outputDimension(), "V12 indexes vector(128)");
        database = TestDatabase.createMigrated("homeward_transform_index");
        Random random = new Random(7);
        vectors = new float[FACES][];
        try (Connection c = TestDatabase.connect(database); Statement s = c.createStatement()) {
            PGvector.addVectorType(c);
            // One photo, face and open case per person; each face has a raw and a transformed vector, as the app stores them.
            s.execute("INSERT INTO photo (sha256, content_type, byte_size, width, height, uploaded_by)"
                    + " SELECT lpad(to_hex(g), 64, '0'), 'image/jpeg', 1, 10, 10, 'test' FROM generate_series(1, " + FACES + ") g");
            s.execute("INSERT INTO face (photo_id, face_index, box_x, box_y, box_width, box_height, detection_score, landmarks, usable)"
                    + " SELECT id, 0, 0, 0, 10, 10, 1, '{0,0,0,0,0,0,0,0,0,0}', true FROM photo");
            s.execute("INSERT INTO case_file (reference, child_name, unit, created_by, updated_by)"
                    + " SELECT 'HW-T-' || id, 'child ' || id, 'north', 'test', 'test' FROM photo");
            s.execute("INSERT INTO case_photo (case_id, photo_id, added_by)"
                    + " SELECT c.id, p.id, 'test' FROM case_file c JOIN photo p ON c.reference = 'HW-T-' || p.id");
            // Bulk loading is faster with the HNSW indexes built afterwards, from the migrations' own definitions.
            List<String> hnsw = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'embedding'"
                    + " AND indexdef LIKE '%USING hnsw%'")) {
                while (rs.next()) {
                    hnsw.add(rs.getString(2));
                    try (Statement drop = c.createStatement()) {
                        drop.execute("DROP INDEX " + rs.getString(1));
                    }
                }
            }
            List<Long> faceIds = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT id FROM face ORDER BY id")) {
                while (rs.next()) {
                    faceIds.add(rs.getLong(1));
                }
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO embedding (face_id, model_id, kind, vector) VALUES (?, ?, 'original', ?)")) {
                for (int i = 0; i < FACES; i++) {
                    vectors[i] = randomUnit(random);
                    for (String m : new String[] {ModelBundle.EMBEDDER, model}) {
                        insert.setLong(1, faceIds.get(i));
                        insert.setString(2, m);
                        insert.setObject(3, new PGvector(m.equals(model) ? vectors[i] : randomUnit(random)));
                        insert.addBatch();
                    }
                }
                insert.executeBatch();
            }
            for (String definition : hnsw) {
                s.execute(definition);
            }
            s.execute("ANALYZE");
        }
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        TestDatabase.drop(database);
    }

    @ParameterizedTest
    @EnumSource(value = FaceIndex.Scope.class, names = {"ALL", "OPEN_CASES"})
    void nearestUnderTheTransformModelIsPlannedThroughItsHnswIndex(FaceIndex.Scope scope) throws Exception {
        float[] query = vectors[1234].clone();
        query[0] += 0.01f;
        try (Connection c = TestDatabase.connect(database)) {
            c.setAutoCommit(false);
            PGvector.addVectorType(c);
            List<String> statements = new ArrayList<>();
            List<FaceIndex.Neighbour> found = FaceIndex.nearest(recording(c, statements), model, query, 5, scope);

            String select = statements.stream().filter(sql -> sql.startsWith("SELECT")).findFirst().orElseThrow();
            StringBuilder plan = new StringBuilder();
            try (PreparedStatement explain = c.prepareStatement("EXPLAIN " + select)) {
                explain.setObject(1, new PGvector(query));
                explain.setString(2, model);
                explain.setObject(3, new PGvector(query));
                try (ResultSet rs = explain.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString(1).replaceAll("'\\[[^']*\\]'", "'[query]'")).append('\n');
                    }
                }
            }
            c.rollback();
            assertTrue(plan.toString().contains("embedding_dlib_v1_transform_v2_hnsw"),
                    "FaceIndex.nearest's SQL does not use the transform's HNSW index:\n" + plan);
            assertFalse(plan.toString().contains("embedding_dlib_v1_hnsw"), "the raw model's index serves another model:\n" + plan);
            assertEquals(5, found.size());
            assertEquals(1234, found.get(0).photoId() - firstPhotoId(c), "the face the query was made from comes first");
        }
    }

    private static long firstPhotoId(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT min(id) FROM photo")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The connection, noting the SQL of every statement prepared on it. */
    static Connection recording(Connection real, List<String> statements) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("prepareStatement")) {
                        statements.add((String) args[0]);
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    static float[] randomUnit(Random random) {
        float[] v = new float[128];
        double n = 0;
        for (int d = 0; d < v.length; d++) {
            v[d] = (float) random.nextGaussian();
            n += v[d] * v[d];
        }
        for (int d = 0; d < v.length; d++) {
            v[d] /= (float) Math.sqrt(n);
        }
        return v;
    }
}
