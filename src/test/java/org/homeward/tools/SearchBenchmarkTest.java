package org.homeward.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.homeward.testing.Fgnet;
import org.homeward.testing.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * {@code bench search} on the real PostgreSQL, at a size a test can afford: the figures a user reads are printed
 * and sane, and the scratch database is gone afterwards. No timing is asserted: speed is the benchmark's output.
 */
class SearchBenchmarkTest {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errors = new ByteArrayOutputStream();

    /** {@code deploy/homeward bench ARGS}: the exit code; stdout in {@link #printed}, stderr in {@link #errors}. */
    private int bench(String... args) {
        List<String> line = new ArrayList<>(List.of("bench"));
        line.addAll(List.of(args));
        return Main.run(new PrintStream(printed, true, StandardCharsets.UTF_8),
                new PrintStream(errors, true, StandardCharsets.UTF_8), line.toArray(String[]::new));
    }

    @Test
    void printsLatencyRecallAndRankOfTheAppsSearchThenDropsItsDatabase() throws Exception {
        assumeTrue(Fgnet.present(), "FG-NET dev data absent");
        String database = "homeward_bench_test_" + ProcessHandle.current().pid();

        int code = bench("search", "--faces", "3000", "--queries", "20", "--warmup", "5",
                "--ef-search", "40,100", "--database", database, "--data", Fgnet.ROOT.getParent().toString());

        assertEquals(0, code, errors.toString(StandardCharsets.UTF_8));
        String text = printed.toString(StandardCharsets.UTF_8);
        String[] lines = text.split("\n");
        JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertFalse(databaseExists(database), "the scratch database " + database + " is still there");

        // the table, per ef_search and for the exact scan, and the machine it ran on
        for (String row : List.of("nearest, HNSW ", "ranked list, HNSW ", "nearest, exact scan", "ranked list, exact scan")) {
            assertTrue(text.contains(row), "no table row '" + row + "' in:\n" + text);
        }
        assertTrue(text.contains("\nmachine: "), text);
        assertEquals(3000, json.path("faces").asInt());
        assertEquals(600, json.path("cases").asInt());

        // the HNSW settings the figures were measured with, as the migration built the index
        JsonNode index = json.path("index");
        assertTrue(index.path("m").asInt() >= 2 && index.path("ef_construction").asInt() >= index.path("m").asInt(),
                index.toString());
        assertTrue(text.contains("m = " + index.path("m").asInt() + ", ef_construction = "
                + index.path("ef_construction").asInt()), text);
        assertTrue(index.path("build_s").asDouble() > 0, index.toString());
        assertTrue(json.path("sizes_mib").path("hnsw_index").asDouble() > 0, json.path("sizes_mib").toString());

        // the app's query uses the index; the exact path really scans the table
        assertTrue(json.path("plans").path("hnsw_uses_index").asBoolean(), json.path("plans").path("hnsw").asText());
        assertTrue(json.path("plans").path("exact_is_seq_scan").asBoolean(), json.path("plans").path("exact").asText());

        List<Integer> efSearch = new ArrayList<>();
        JsonNode exact = null;
        for (JsonNode r : json.path("results")) {
            for (String series : List.of("nearest_ms", "ranked_list_ms")) {
                JsonNode ms = r.path(series);
                assertEquals(20, ms.path("calls").asInt(), r.toString());
                assertTrue(ms.path("p50").asDouble() > 0, r.toString());
                assertTrue(ms.path("p50").asDouble() <= ms.path("p95").asDouble()
                        && ms.path("p95").asDouble() <= ms.path("p99").asDouble()
                        && ms.path("p99").asDouble() <= ms.path("max").asDouble(), r.toString());
            }
            double recall = r.path("recall_at_k").asDouble();
            assertTrue(recall >= 0 && recall <= 1, r.toString());
            assertTrue(r.path("recall_at_k_min").asDouble() <= recall, r.toString());
            if (r.path("path").asText().equals("exact")) {
                exact = r;
            } else {
                efSearch.add(r.path("ef_search").asInt());
                // 3,000 faces are few for the graph: it should find nearly all the true neighbours
                assertTrue(recall >= 0.9, "HNSW recall " + recall + " at 3,000 faces: " + r);
            }
        }
        assertEquals(List.of(40, 100), efSearch);
        assertTrue(exact != null, "no exact-scan result");
        assertEquals(1.0, exact.path("recall_at_k").asDouble(), 1e-9);
        // a new face of an indexed person: the exact search puts that person's case first for most queries
        assertTrue(exact.path("rank1_rate").asDouble() >= 0.7, exact.toString());
    }

    @Test
    void leavesADatabaseItDidNotCreateAlone() throws Exception {
        String foreign = TestDatabase.createEmpty("homeward_bench_foreign");
        try {
            try (Connection c = TestDatabase.connect(foreign); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE precious (id int)");
            }
            assertEquals(2, bench("search", "--faces", "100", "--queries", "2", "--database", foreign));
            String error = errors.toString(StandardCharsets.UTF_8);
            assertTrue(error.contains("is not a benchmark's scratch database"), error);
            try (Connection c = TestDatabase.connect(foreign); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM precious")) {
                assertTrue(rs.next());
            }
        } finally {
            TestDatabase.drop(foreign);
        }
    }

    @Test
    void refusesBadOptionsBeforeTouchingTheDatabase() throws Exception {
        String database = "homeward_bench_never_" + ProcessHandle.current().pid();
        assertRefused("--faces (3) must be at least --faces-per-case (5)", "--faces", "3", "--database", database);
        assertRefused("--ef-search must be between 1 and 1000, not 0", "--ef-search", "40,0", "--database", database);
        assertRefused("--queries (700) must be at most the number of cases, 600", "--faces", "3000", "--queries", "700",
                "--database", database);
        assertRefused("Invalid value for option '--k': 'ten' is not an int", "--k", "ten", "--database", database);
        assertRefused("Unknown options: '--kk', '10'", "--kk", "10", "--database", database);
        assertRefused("database name must be lower-case", "--database", "Homeward; DROP");
        assertFalse(databaseExists(database));
    }

    @Test
    void benchNamesBothOfItsBenchmarks() {
        assertEquals(2, bench("speed"));
        String error = errors.toString(StandardCharsets.UTF_8);
        assertTrue(error.startsWith("error: Unmatched argument at index 1: 'speed'"), error);
        assertTrue(error.contains("pipeline") && error.contains("search"), error);
    }

    private void assertRefused(String message, String... options) {
        List<String> args = new ArrayList<>(List.of("search"));
        args.addAll(List.of(options));
        errors.reset();
        assertEquals(2, bench(args.toArray(String[]::new)));
        String error = errors.toString(StandardCharsets.UTF_8);
        assertTrue(error.startsWith("error: ") && error.contains(message), error);
    }

    private static boolean databaseExists(String name) throws SQLException {
        try (Connection c = TestDatabase.connect("postgres");
                PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            q.setString(1, name);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next();
            }
        }
    }
}
