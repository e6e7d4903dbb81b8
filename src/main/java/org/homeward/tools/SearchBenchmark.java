package org.homeward.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import org.flywaydb.core.api.output.MigrateResult;
import org.homeward.faces.index.FaceIndex;
import org.homeward.matching.CaseRanker;
import org.homeward.tools.bench.BenchImages;
import org.homeward.tools.bench.EfSearchConnection;
import org.homeward.tools.bench.FgnetEmbeddings;
import org.homeward.tools.bench.HnswIndex;
import org.homeward.tools.bench.Machine;
import org.homeward.tools.bench.OpenCaseLoader;
import org.homeward.tools.bench.ScratchDatabase;
import org.homeward.tools.bench.Series;
import org.homeward.tools.bench.SyntheticFaces;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench search}: how long the app's face search takes over many indexed faces, and how much of the exact
 * answer its HNSW index finds. A scratch database, migrated like the app's, is filled with the faces of made-up
 * open cases whose embeddings are sampled from a model fitted on real ones (FG-NET dev, {@link SyntheticFaces});
 * then new faces of indexed people are searched through the app's own queries ({@link FaceIndex#nearest} and
 * {@link FaceIndex#caseFaces} on a JDBC connection, ranked by {@link CaseRanker#DEFAULT}) at each ef_search, and
 * again with index scans disabled, which is the exact answer. Prints the figures, the machine, and one JSON
 * line; drops the database unless asked to keep it. See docs/performance.md.
 */
@Command(name = "search", description = "latency and recall of the face search over N indexed faces (HNSW against an"
        + " exact scan); needs PostgreSQL")
public final class SearchBenchmark implements Callable<Integer> {

    private static final String DEFAULT_DATABASE = "homeward_bench";

    private final PrintStream out;
    private final PrintStream err;

    @Option(names = "--faces", paramLabel = "N", description = "faces indexed, 1 to 10,000,000")
    private int faces = 100_000;
    @Option(names = "--faces-per-case", paramLabel = "F", description = "faces of each open case, 1 to 1000")
    private int perCase = 5;
    @Option(names = "--queries", paramLabel = "Q", description = "searches timed, each for a different indexed person")
    private int queryCount = 200;
    @Option(names = "--k", paramLabel = "K", description = "nearest faces asked for, 1 to 1000")
    private int k = 50;
    @Option(names = "--ef-search", split = ",", paramLabel = "EF", description = "HNSW ef_search values to compare, each 1 to 1000")
    private int[] efSearch = {40, 100, 200};
    @Option(names = "--warmup", paramLabel = "W", description = "untimed searches first")
    private int warmup = 20;
    @Option(names = "--seed", paramLabel = "S", description = "of the made-up faces and the queries")
    private int seed = 1;
    @Option(names = "--database", paramLabel = "NAME", description = "the scratch database (created, then dropped)")
    private String database = DEFAULT_DATABASE;
    @Option(names = "--keep-db", description = "keep the scratch database afterwards")
    private boolean keep;
    @Option(names = "--data", paramLabel = "DIR", description = "the research data whose FG-NET faces the generator is fitted on")
    private String data;
    @Mixin
    private ModelsOption models;
    @Option(names = "--hnsw-m", paramLabel = "M", description = "rebuild the index with this m, 2 to 100 (default: as migrated)")
    private Integer hnswM;
    @Option(names = "--hnsw-ef-construction", paramLabel = "E", description = "and this ef_construction, 4 to 1000")
    private Integer hnswEfConstruction;
    @Option(names = "--maintenance-work-mem", paramLabel = "SIZE", description = "for the index build, such as 256MB or 1GB")
    private String maintenanceWorkMem;
    @Spec
    private CommandSpec spec;

    /** Prints its figures to {@code out}, progress to {@code err}. */
    SearchBenchmark(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    private int cases() {
        return (faces + perCase - 1) / perCase;
    }

    /** Refuses what cannot be measured before the database is touched. */
    private void check() {
        Main.within("--faces", faces, 1, 10_000_000);
        Main.within("--faces-per-case", perCase, 1, 1000);
        Main.within("--queries", queryCount, 1, 100_000);
        Main.within("--k", k, 1, 1000);
        Main.within("--warmup", warmup, 0, 100_000);
        Main.within("--seed", seed, 0, Integer.MAX_VALUE);
        for (int ef : efSearch) {
            Main.within("--ef-search", ef, 1, 1000); // pgvector's range
        }
        if (Arrays.stream(efSearch).distinct().count() != efSearch.length) {
            throw new IllegalArgumentException("--ef-search lists a value twice: " + Arrays.toString(efSearch));
        }
        if (maintenanceWorkMem != null && !maintenanceWorkMem.matches("[1-9][0-9]{0,6}(kB|MB|GB)")) {
            throw new IllegalArgumentException("--maintenance-work-mem takes a size such as 256MB or 1GB, not '"
                    + maintenanceWorkMem + "'");
        }
        if (faces < perCase) {
            throw new IllegalArgumentException("--faces (" + faces + ") must be at least --faces-per-case (" + perCase + ")");
        }
        if ((hnswM == null) != (hnswEfConstruction == null)) {
            throw new IllegalArgumentException("--hnsw-m and --hnsw-ef-construction go together");
        }
        if (hnswM != null) {
            Main.within("--hnsw-m", hnswM, 2, 100);
            Main.within("--hnsw-ef-construction", hnswEfConstruction, 4, 1000);
            if (hnswEfConstruction < 2 * hnswM) {
                throw new IllegalArgumentException("--hnsw-ef-construction must be at least 2 x --hnsw-m (pgvector's rule)");
            }
        }
        if (queryCount > cases()) {
            throw new IllegalArgumentException("--queries (" + queryCount + ") must be at most the number of cases, " + cases()
                    + ": each query is a new face of a different indexed person");
        }
    }

    /** One way of searching (an ef_search, or the exact scan): its timings and what it found. */
    private static final class SearchPath {
        final int efSearch;
        final Series nearest;
        final Series rankedList;
        final List<Double> recall = new ArrayList<>();
        int returnedShort;
        int rankOne;
        int found;
        int sameTopAsExact;

        SearchPath(String name, int efSearch) {
            this.efSearch = efSearch;
            this.nearest = new Series("nearest, " + name, "FaceIndex.nearest", 1, "query");
            this.rankedList = new Series("ranked list, " + name, "nearest + caseFaces + CaseRanker.rank", 1, "query");
        }

        boolean exact() {
            return efSearch == 0;
        }
    }

    private void progress(String text) {
        err.println("[bench] " + text);
    }

    @Override
    public Integer call() throws Exception {
        check();
        ScratchDatabase.checkName(database);
        long benchStart = System.nanoTime();
        String loadStart = Machine.loadAverage();
        List<String> notes = new ArrayList<>();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "search");
        json.put("command", Main.commandLine(spec));

        // ---- the generator, fitted on real embeddings
        FgnetEmbeddings real = FgnetEmbeddings.load(BenchImages.dataDir(data), models.dir());
        String modelId = real.modelId();
        SyntheticFaces generator = SyntheticFaces.fit(real.byIdentity().values(), seed);
        SyntheticFaces.Fit fit = generator.fit();
        out.printf(Locale.ROOT, "real embeddings: %d faces of %d people from %s (%d photos without a usable face left"
                + " out), model %s, eval cache %s%n", real.faces(), fit.identities(), real.csv(), real.withoutFace(),
                modelId, real.cacheDir());
        out.printf(Locale.ROOT, "generator: Gaussian people (centre variance %.4f, Ledoit-Wolf shrinkage %.2f) and faces"
                + " around them (variance %.4f, shrinkage %.2f, per-face size resampled from the real faces),"
                + " unit vectors scaled to the real length (mean %.3f), seed %d%n", fit.betweenVariance(),
                fit.betweenShrinkage(), fit.withinVariance(), fit.withinShrinkage(), fit.meanLength(), seed);
        Map<String, Object> check = generatorCheck(real, generator);
        json.put("model_id", modelId);
        json.put("generator", Map.of("fitted_on", real.csv().toString(), "people", fit.identities(),
                "faces", fit.faces(), "centre_variance", Series.round(fit.betweenVariance(), 5),
                "centre_shrinkage", Series.round(fit.betweenShrinkage(), 3),
                "face_variance", Series.round(fit.withinVariance(), 5),
                "face_shrinkage", Series.round(fit.withinShrinkage(), 3), "seed", seed));
        json.put("generator_check", check);

        // ---- the people (one per case) and the queries: a new face of each of Q different indexed people
        int cases = cases();
        List<SyntheticFaces.Identity> people = new ArrayList<>(cases);
        for (int i = 0; i < cases; i++) {
            people.add(generator.identity());
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < cases; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed + 1));
        List<Integer> queryCase = order.subList(0, queryCount);
        List<float[]> queries = new ArrayList<>();
        for (int c : queryCase) {
            queries.add(generator.face(people.get(c)));
        }
        Random warmRandom = new Random(seed + 2);
        List<float[]> warmups = new ArrayList<>();
        for (int i = 0; i < warmup; i++) {
            warmups.add(generator.face(people.get(warmRandom.nextInt(cases))));
        }

        ScratchDatabase db = ScratchDatabase.create(database);
        try {
            MigrateResult migrated = db.migrate();
            out.printf(Locale.ROOT, "database: %s, migrated by Flyway from classpath db/migration to version %s"
                    + " (%d migrations)%n", db.name(), migrated.targetSchemaVersion, migrated.migrationsExecuted);
            try (Connection raw = db.connect()) {
                measure(raw, modelId, generator, people, queries, queryCase, warmups, json, notes);
            }
        } finally {
            if (keep) {
                out.println("kept database " + db.name() + " (drop it with: DROP DATABASE " + db.name() + ")");
            } else {
                db.drop();
                progress("dropped database " + db.name());
            }
        }
        json.put("database_kept", keep);
        String loadEnd = Machine.loadAverage();
        Map<String, Object> machine = Machine.describe();
        out.printf(Locale.ROOT, "machine: %s, %s cores, %s GiB; %s; PostgreSQL on the same machine; load average %s at"
                + " the start, %s at the end%n", machine.get("cpu_model"), machine.get("nproc"), machine.get("ram_gib"),
                machine.get("java"), loadStart, loadEnd);
        for (String n : notes) {
            out.println("note: " + n);
        }
        json.put("machine", machine);
        json.put("load_average_start", loadStart);
        json.put("load_average_end", loadEnd);
        json.put("notes", notes);
        json.put("wall_s", Series.round((System.nanoTime() - benchStart) / 1e9, 1));
        out.println(new ObjectMapper().writeValueAsString(json));
        return 0;
    }

    private void measure(Connection raw, String modelId, SyntheticFaces generator,
            List<SyntheticFaces.Identity> people, List<float[]> queries, List<Integer> queryCase, List<float[]> warmups,
            Map<String, Object> json, List<String> notes) throws Exception {
        Built built = loadAndIndex(raw, modelId, generator, people);
        EfSearchConnection tuned = new EfSearchConnection(raw);
        raw.setAutoCommit(false);
        Plans plans = plans(raw, tuned, modelId, queries.get(0), built.index(), notes);
        List<SearchPath> paths = new ArrayList<>();
        for (int ef : efSearch) {
            paths.add(new SearchPath("HNSW", ef));
        }
        SearchPath exact = new SearchPath("exact scan", 0);
        paths.add(exact);
        runQueries(raw, tuned, modelId, paths, exact, queries, queryCase, warmups);
        raw.setAutoCommit(true);
        Map<String, Object> server = HnswIndex.serverSettings(raw);

        printTable(paths);
        out.printf(Locale.ROOT, "the app's FaceIndex.EF_SEARCH is %d; the benchmark replaced it in %d of the app's"
                + " SET LOCAL statements (and checked the setting after every call)%n", FaceIndex.EF_SEARCH,
                tuned.rewrites());
        out.printf(Locale.ROOT, "PostgreSQL %s, pgvector %s: shared_buffers %s, effective_cache_size %s, work_mem %s,"
                + " max_parallel_workers_per_gather %s, jit %s, hnsw.max_scan_tuples %s%n", server.get("server_version"),
                server.get("pgvector"), server.get("shared_buffers"), server.get("effective_cache_size"),
                server.get("work_mem"), server.get("max_parallel_workers_per_gather"), server.get("jit"),
                server.get("hnsw.max_scan_tuples"));

        json.put("faces", faces);
        json.put("cases", people.size());
        json.put("faces_per_case", perCase);
        json.put("queries", queries.size());
        json.put("k", k);
        json.put("warmup", warmups.size());
        json.put("load_s", Series.round(built.loadSeconds(), 1));
        json.put("vacuum_analyze_s", Series.round(built.vacuumSeconds(), 1));
        json.put("index", built.toJson());
        json.put("sizes_mib", built.sizes());
        json.put("plans", Map.of("hnsw_uses_index", plans.usesIndex(), "exact_is_seq_scan", plans.exactIsSeqScan(),
                "hnsw", plans.hnsw(), "exact", plans.exact()));
        json.put("app_ef_search", FaceIndex.EF_SEARCH);
        json.put("results", paths.stream().map(p -> result(p, k)).toList());
        json.put("postgres", server);
    }

    /** The open cases loaded and their index built, with what it took. */
    private record Built(HnswIndex index, HnswIndex migrated, HnswIndex.Build build, double loadSeconds,
            double vacuumSeconds, Map<String, Object> sizes) {

        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("name", index.name());
            json.put("definition", index.definition());
            json.put("m", index.m());
            json.put("ef_construction", index.efConstruction());
            json.put("pgvector_defaults", index.defaults());
            json.put("as_migrated", index == migrated);
            json.put("build_s", Series.round(build.nanos() / 1e9, 2));
            json.put("maintenance_work_mem", build.maintenanceWorkMem());
            json.put("max_parallel_maintenance_workers", build.parallelWorkers());
            json.put("build_notices", build.notices());
            return json;
        }
    }

    /** The app's query plan with the index and without it (the exact scan). */
    private record Plans(String hnsw, String exact, boolean usesIndex, boolean exactIsSeqScan) {
    }

    /** Loads the faces without the index, then builds it in one go, as after a restore; prints what it took. */
    private Built loadAndIndex(Connection raw, String modelId, SyntheticFaces generator,
            List<SyntheticFaces.Identity> people) throws Exception {
        HnswIndex migrated = HnswIndex.of(raw, modelId);
        migrated.drop(raw);
        HnswIndex index = hnswM != null ? migrated.withParameters(hnswM, hnswEfConstruction) : migrated;
        if (maintenanceWorkMem != null) {
            try (Statement s = raw.createStatement()) {
                s.execute("SET maintenance_work_mem = '" + maintenanceWorkMem + "'");
            }
        }
        long t = System.nanoTime();
        OpenCaseLoader.load(raw, modelId, generator, people, faces, perCase, this::progress);
        double loadSeconds = (System.nanoTime() - t) / 1e9;
        progress("building " + index.name());
        HnswIndex.Build build = index.build(raw);
        t = System.nanoTime();
        try (Statement s = raw.createStatement()) {
            s.execute("VACUUM ANALYZE");
        }
        double vacuumSeconds = (System.nanoTime() - t) / 1e9;
        Map<String, Object> sizes = index.sizes(raw);
        out.printf(Locale.ROOT, "loaded: %,d faces of %,d open cases (%d photos, one face each, per case), one %d-D"
                + " embedding per face, in %.1f s (COPY); VACUUM ANALYZE %.1f s%n", faces, people.size(), perCase,
                generator.dimension(), loadSeconds, vacuumSeconds);
        out.printf(Locale.ROOT, "HNSW index: %s, m = %d, ef_construction = %d%s; built in %.1f s"
                + " (maintenance_work_mem %s, max_parallel_maintenance_workers %s)%n", index.name(), index.m(),
                index.efConstruction(), index != migrated ? " (given on the command line, NOT the migration's: m = "
                        + migrated.m() + ", ef_construction = " + migrated.efConstruction() + ")"
                        : index.defaults() ? " (pgvector's defaults: the migration sets none)" : "",
                build.nanos() / 1e9, build.maintenanceWorkMem(), build.parallelWorkers());
        out.println("  " + index.definition());
        for (String notice : build.notices()) {
            out.println("  build notice: " + notice);
        }
        out.printf(Locale.ROOT, "sizes (MiB): embedding table %s, HNSW index %s, all indexes on embedding %s,"
                + " face/photo/case tables %s, database %s%n", sizes.get("embedding_table"), sizes.get("hnsw_index"),
                sizes.get("embedding_all_indexes"), sizes.get("face_photo_case_tables"), sizes.get("database"));
        return new Built(index, migrated, build, loadSeconds, vacuumSeconds, sizes);
    }

    /** The app's query as it ran, with and without index scans; a note when either is not what it should be. */
    private Plans plans(Connection raw, EfSearchConnection tuned, String modelId, float[] query,
            HnswIndex index, List<String> notes) throws SQLException {
        tuned.efSearch(0);
        FaceIndex.nearest(tuned.connection(), modelId, query, k, FaceIndex.Scope.OPEN_CASES, false);
        EfSearchConnection.Recorded recorded = tuned.lastPrepared();
        raw.rollback();
        String hnswPlan = explain(raw, recorded, false);
        String exactPlan = explain(raw, recorded, true);
        boolean usesIndex = hnswPlan.contains("Index Scan using " + index.name());
        boolean exactIsSeqScan = exactPlan.contains("Seq Scan on embedding") && !exactPlan.contains(index.name());
        out.println("plan of FaceIndex.nearest (OPEN_CASES), as the app runs it:");
        out.println(indent(hnswPlan));
        out.println("plan of the same query with SET LOCAL enable_indexscan = off (the exact scan):");
        out.println(indent(exactPlan));
        if (!usesIndex) {
            notes.add("the app's query does NOT use " + index.name() + ": its HNSW figures are not index figures");
        }
        if (!exactIsSeqScan) {
            notes.add("the exact path is not a sequential scan of embedding: recall is not measured against exact");
        }
        return new Plans(hnswPlan, exactPlan, usesIndex, exactIsSeqScan);
    }

    /** A warm-up, then the measured queries, every path for each query in turn; recall is against the exact scan. */
    private void runQueries(Connection raw, EfSearchConnection tuned, String modelId, List<SearchPath> paths,
            SearchPath exact, List<float[]> queries, List<Integer> queryCase, List<float[]> warmups) throws SQLException {
        progress("warm-up: " + warmups.size() + " queries");
        for (float[] q : warmups) {
            for (SearchPath p : paths) {
                runNearest(tuned, raw, modelId, q, k, p);
                runRankedList(tuned, raw, modelId, q, k, p);
            }
        }
        progress("measuring: " + queries.size() + " queries x " + paths.size() + " paths");
        long lastPrint = System.nanoTime();
        for (int i = 0; i < queries.size(); i++) {
            float[] q = queries.get(i);
            long truth = queryCase.get(i) + 1L;
            Map<SearchPath, List<FaceIndex.Neighbour>> neighbours = new LinkedHashMap<>();
            Map<SearchPath, Long> top = new LinkedHashMap<>();
            for (SearchPath p : paths) {
                long start = System.nanoTime();
                List<FaceIndex.Neighbour> n = runNearest(tuned, raw, modelId, q, k, p);
                p.nearest.add(System.nanoTime() - start, 1);
                neighbours.put(p, n);
                start = System.nanoTime();
                List<CaseRanker.RankedCase<Long>> ranking = runRankedList(tuned, raw, modelId, q, k, p);
                p.rankedList.add(System.nanoTime() - start, 1);
                Long first = ranking.isEmpty() ? null : ranking.get(0).caseId();
                top.put(p, first);
                p.rankOne += Long.valueOf(truth).equals(first) ? 1 : 0;
                p.found += ranking.stream().anyMatch(r -> r.caseId() == truth) ? 1 : 0;
                p.returnedShort += n.size() < k ? 1 : 0;
            }
            Set<Long> exactIds = new HashSet<>();
            neighbours.get(exact).forEach(n -> exactIds.add(n.faceId()));
            for (SearchPath p : paths) {
                long hits = neighbours.get(p).stream().filter(n -> exactIds.contains(n.faceId())).count();
                p.recall.add(exactIds.isEmpty() ? 1.0 : (double) hits / exactIds.size());
                p.sameTopAsExact += Objects.equals(top.get(p), top.get(exact)) ? 1 : 0;
            }
            if (System.nanoTime() - lastPrint > 10_000_000_000L) {
                lastPrint = System.nanoTime();
                progress((i + 1) + " / " + queries.size() + " queries");
            }
        }
    }

    /** The app's nearest-neighbour query on this path, in a transaction of its own; checks the ef_search it ran at. */
    private static List<FaceIndex.Neighbour> runNearest(EfSearchConnection tuned, Connection raw, String modelId,
            float[] query, int k, SearchPath path) throws SQLException {
        prepare(tuned, raw, path);
        // the index's own answer on every path (the exact path turns index scans off itself), whatever the size
        List<FaceIndex.Neighbour> result = FaceIndex.nearest(tuned.connection(), modelId, query, k,
                FaceIndex.Scope.OPEN_CASES, false);
        finish(raw, path);
        return result;
    }

    /** The whole ranked list as the app builds it: the nearest faces name the cases, all their faces rank them. */
    private static List<CaseRanker.RankedCase<Long>> runRankedList(EfSearchConnection tuned, Connection raw,
            String modelId, float[] query, int k, SearchPath path) throws SQLException {
        prepare(tuned, raw, path);
        Connection app = tuned.connection();
        List<FaceIndex.Neighbour> nearest = FaceIndex.nearest(app, modelId, query, k, FaceIndex.Scope.OPEN_CASES, false);
        Set<Long> caseIds = new LinkedHashSet<>();
        nearest.forEach(n -> caseIds.add(n.ownerId()));
        List<FaceIndex.Neighbour> faces = caseIds.isEmpty() ? List.of()
                : FaceIndex.caseFaces(app, modelId, query, caseIds);
        List<CaseRanker.RankedCase<Long>> ranking = CaseRanker.DEFAULT.rank(CaseRanker.group(faces,
                FaceIndex.Neighbour::ownerId,
                n -> CaseRanker.FaceScore.ofCosineDistance(n.distance(), n.kind(), n.showsAge())));
        finish(raw, path);
        return ranking;
    }

    /**
     * Sets the path's ef_search (both here and in the app's own SET LOCAL), or turns index scans off for the
     * exact path; SET LOCAL, so it ends with the transaction.
     */
    private static void prepare(EfSearchConnection tuned, Connection raw, SearchPath path) throws SQLException {
        tuned.efSearch(path.efSearch);
        try (Statement s = raw.createStatement()) {
            s.execute(path.exact() ? "SET LOCAL enable_indexscan = off" : "SET LOCAL hnsw.ef_search = " + path.efSearch);
        }
    }

    private static void finish(Connection raw, SearchPath path) throws SQLException {
        if (!path.exact()) {
            String ran = EfSearchConnection.setting(raw, "hnsw.ef_search");
            if (!String.valueOf(path.efSearch).equals(ran)) {
                raw.rollback();
                throw new IllegalStateException("the app's query ran at hnsw.ef_search " + ran + ", not " + path.efSearch
                        + ": FaceIndex no longer sets it the way this benchmark replaces");
            }
        }
        raw.commit();
    }

    /** EXPLAIN of the recorded query, in a transaction with the app's settings (and index scans off if exact). */
    private static String explain(Connection raw, EfSearchConnection.Recorded query, boolean exact) throws SQLException {
        try (Statement s = raw.createStatement()) {
            s.execute("SET LOCAL hnsw.iterative_scan = relaxed_order");
            s.execute("SET LOCAL hnsw.ef_search = " + FaceIndex.EF_SEARCH);
            if (exact) {
                s.execute("SET LOCAL enable_indexscan = off");
            }
        }
        StringBuilder plan = new StringBuilder();
        try (PreparedStatement e = query.prepare(raw, "EXPLAIN "); ResultSet rs = e.executeQuery()) {
            while (rs.next()) {
                // the query vector's 128 numbers say nothing about the plan
                plan.append(plan.length() == 0 ? "" : "\n")
                        .append(rs.getString(1).replaceAll("'\\[[^']*\\]'", "'[query vector]'"));
            }
        }
        raw.rollback();
        return plan.toString();
    }

    /**
     * Same-person and different-person similarities of the real faces, and of made-up people with exactly as many
     * faces each as the real ones (from a generator of its own, so the check never changes the benchmark's data).
     */
    private Map<String, Object> generatorCheck(FgnetEmbeddings real, SyntheticFaces fitted) {
        List<List<float[]>> realFaces = new ArrayList<>(real.byIdentity().values());
        SyntheticFaces other = fitted.withSeed(12345);
        List<List<float[]>> madeUp = new ArrayList<>();
        for (List<float[]> person : realFaces) {
            SyntheticFaces.Identity id = other.identity();
            List<float[]> faces = new ArrayList<>();
            for (int i = 0; i < person.size(); i++) {
                faces.add(other.face(id));
            }
            madeUp.add(faces);
        }
        SyntheticFaces.Similarities r = SyntheticFaces.similarities(realFaces);
        SyntheticFaces.Similarities s = SyntheticFaces.similarities(madeUp);
        out.printf(Locale.ROOT, "generator check, cosine similarity 5%%/50%%/95%% (real FG-NET dev | made-up, same"
                + " layout): same person %s | %s; different people %s | %s; nearest other face is the same person"
                + " %.3f | %.3f%n", q(r.genuine()), q(s.genuine()), q(r.impostor()), q(s.impostor()),
                r.nearestIsSamePerson(), s.nearestIsSamePerson());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("quantiles", SyntheticFaces.Similarities.QUANTILES);
        m.put("real", similarities(r));
        m.put("synthetic", similarities(s));
        return m;
    }

    private static Map<String, Object> similarities(SyntheticFaces.Similarities s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("faces", s.faces());
        m.put("people", s.identities());
        m.put("same_person", Arrays.stream(s.genuine()).mapToObj(v -> Series.round(v, 4)).toList());
        m.put("different_people", Arrays.stream(s.impostor()).mapToObj(v -> Series.round(v, 4)).toList());
        m.put("nearest_is_same_person", Series.round(s.nearestIsSamePerson(), 4));
        return m;
    }

    private static String q(double[] v) {
        return String.format(Locale.ROOT, "%.3f/%.3f/%.3f", v[0], v[1], v[2]);
    }

    private void printTable(List<SearchPath> paths) {
        int n = paths.get(0).nearest.items();
        out.printf(Locale.ROOT, "%n%,d faces in %,d open cases, %d queries (a new face of a different indexed person"
                + " each), k = %d; ms per query%n", faces, cases(), n, k);
        String format = "%-24s %9s %8s %8s %8s %8s %8s %10s %7s %9s %9s%n";
        out.printf(Locale.ROOT, format, "path", "ef_search", "p50", "p95", "p99", "max", "mean", "recall@" + k,
                "rank-1", "own case", "top=exact");
        for (SearchPath p : paths) {
            for (Series s : List.of(p.nearest, p.rankedList)) {
                boolean list = s == p.rankedList;
                out.printf(Locale.ROOT, format, s.stage(), p.exact() ? "-" : Integer.toString(p.efSearch),
                        Series.figure(s.medianMs()), Series.figure(s.percentileMs(0.95)),
                        Series.figure(s.percentileMs(0.99)), Series.figure(s.maxMs()), Series.figure(s.meanMs()),
                        list ? "" : String.format(Locale.ROOT, "%.4f", mean(p.recall)),
                        list ? String.format(Locale.ROOT, "%.3f", (double) p.rankOne / n) : "",
                        list ? String.format(Locale.ROOT, "%.3f", (double) p.found / n) : "",
                        list ? String.format(Locale.ROOT, "%.3f", (double) p.sameTopAsExact / n) : "");
            }
        }
        out.println("recall@k: the share of the exact scan's k nearest faces that the path returned (mean over queries;"
                + " min in the JSON); rank-1: the query's own case first in the ranked list; own case: anywhere in"
                + " it; top=exact: the same first case as the exact scan's list");
    }

    private static Map<String, Object> result(SearchPath p, int k) {
        int n = p.nearest.items();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", p.exact() ? "exact" : "hnsw");
        m.put("ef_search", p.exact() ? null : p.efSearch);
        m.put("nearest_ms", latency(p.nearest));
        m.put("ranked_list_ms", latency(p.rankedList));
        m.put("recall_at_k", Series.round(mean(p.recall), 4));
        m.put("recall_at_k_min", Series.round(p.recall.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN), 4));
        m.put("queries_with_full_recall", p.recall.stream().filter(r -> r >= 1.0).count());
        m.put("queries_returning_fewer_than_k", p.returnedShort);
        m.put("rank1_rate", Series.round((double) p.rankOne / n, 4));
        m.put("own_case_in_list_rate", Series.round((double) p.found / n, 4));
        m.put("top_case_same_as_exact_rate", Series.round((double) p.sameTopAsExact / n, 4));
        m.put("k", k);
        return m;
    }

    private static Map<String, Object> latency(Series s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("calls", s.items());
        m.put("p50", Series.round(s.medianMs(), 3));
        m.put("p95", Series.round(s.percentileMs(0.95), 3));
        m.put("p99", Series.round(s.percentileMs(0.99), 3));
        m.put("max", Series.round(s.maxMs(), 3));
        m.put("mean", Series.round(s.meanMs(), 3));
        return m;
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static String indent(String text) {
        return "  " + text.replace("\n", "\n  ");
    }
}
