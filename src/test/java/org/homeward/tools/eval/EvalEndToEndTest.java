package org.homeward.tools.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.homeward.faces.ModelBundle;
import org.homeward.models.EmbeddingTransform;
import org.homeward.models.ModelsConfig;
import org.homeward.tools.Main;
import org.homeward.matching.EvidenceCalibration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The eval command in-process, with the real models, on a small manifest built at test time from fgnet-dev: 8
 * people, each with one childhood photo (age <= 12) and one adult photo (age >= 18). The CSV written under
 * target/ points into ../shared/data; no photo is copied. Skips, saying why, without the data or the models.
 * Embeddings are cached under target/, so a rerun takes seconds.
 */
class EvalEndToEndTest {

    static final Path FGNET = Path.of(System.getProperty("homeward.data", Path.of("..", "shared", "data").toString()))
            .resolve("fgnet-dev");
    static final Path MODELS = ModelsConfig.dirFromEnvironment();
    static final Path WORK = Path.of("target", "eval-e2e");
    static final ObjectMapper JSON = new ObjectMapper();

    static boolean ready() {
        if (!Files.isRegularFile(FGNET.resolve("fgnet-dev.csv"))) {
            System.out.println("SKIPPED: FG-NET dev data not found at " + FGNET.toAbsolutePath()
                    + " (research data, read from ../shared/data)");
            return false;
        }
        if (!Files.isRegularFile(MODELS.resolve("dlib-face-embedder-v1").resolve("manifest.json"))) {
            System.out.println("SKIPPED: no model bundle at " + MODELS.toAbsolutePath()
                    + " (build it with deploy/homeward models, or set HOMEWARD_MODELS)");
            return false;
        }
        return true;
    }

    static Path manifest;

    @BeforeAll
    static void smallManifest() throws IOException {
        if (!ready()) {
            return;
        }
        Files.createDirectories(WORK);
        Manifest all = Manifest.read(FGNET.resolve("fgnet-dev.csv"), true);
        Map<String, List<Manifest.Photo>> sorted = new TreeMap<>(all.byIdentity());
        List<String> lines = new ArrayList<>(List.of("path,identity,age"));
        int people = 0;
        for (Map.Entry<String, List<Manifest.Photo>> e : sorted.entrySet()) {
            Manifest.Photo child = e.getValue().stream().filter(p -> p.age() <= 12)
                    .max((a, b) -> Double.compare(a.age(), b.age())).orElse(null);
            Manifest.Photo adult = e.getValue().stream().filter(p -> p.age() >= 18)
                    .min((a, b) -> Double.compare(a.age(), b.age())).orElse(null);
            if (child == null || adult == null) {
                continue;
            }
            for (Manifest.Photo p : List.of(child, adult)) {
                Path relative = WORK.toAbsolutePath().relativize(p.file().toAbsolutePath());
                lines.add(relative.toString().replace('\\', '/') + "," + e.getKey() + "," + Tracing.fmt(p.age()));
            }
            if (++people == 8) {
                break;
            }
        }
        manifest = WORK.resolve("manifest.csv");
        Files.write(manifest, lines);
    }

    /** Runs the command; returns stdout's last line as JSON. */
    static JsonNode run(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = eval(out, err, args);
        String stdout = out.toString(StandardCharsets.UTF_8);
        System.out.print(stdout);
        assertEquals(0, rc, "exit code; stderr: " + err.toString(StandardCharsets.UTF_8));
        String[] lines = stdout.strip().split("\n");
        return JSON.readTree(lines[lines.length - 1]);
    }

    /** {@code deploy/homeward eval ARGS}, printing into {@code out} and {@code err}; the exit code. */
    static int eval(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
        List<String> line = new ArrayList<>(List.of("eval"));
        line.addAll(List.of(args));
        return Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                line.toArray(String[]::new));
    }

    static List<String> keys(JsonNode n) {
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            keys.add(it.next());
        }
        return keys;
    }

    static void inUnitRange(JsonNode n, String key) {
        double v = n.get(key).asDouble(-1);
        assertTrue(n.get(key).isNumber() && v >= 0 && v <= 1, key + " = " + n.get(key));
    }

    @Test
    void tracingOnEightPeoplePrintsTheJsonLine() throws Exception {
        assumeTrue(ready(), "FG-NET dev data or model bundle absent");
        long start = System.nanoTime();
        JsonNode json = run("tracing", "--manifest", manifest.toString(), "--cache", WORK.resolve("cache").toString(),
                "--out", WORK.resolve("tracing").toString());
        System.out.printf("eval tracing on 16 photos: %.1f s%n", (System.nanoTime() - start) / 1e9);
        assertEquals(List.of("protocol", "model", "cases", "probes", "rank1", "rank5", "rank10", "mrr", "no_face"), keys(json));
        assertEquals("tracing", json.get("protocol").asText());
        // by default, what the app searches with: the bundle's transform over flip-averaged vectors
        assertEquals(ModelBundle.EMBEDDER + "+" + ModelBundle.TRANSFORM, json.get("model").asText());
        assertEquals(8, json.get("cases").asInt());
        assertEquals(8, json.get("probes").asInt());
        for (String k : List.of("rank1", "rank5", "rank10", "mrr")) {
            inUnitRange(json, k);
        }
        double rank1 = json.get("rank1").asDouble();
        assertTrue(rank1 <= json.get("rank5").asDouble() && json.get("rank5").asDouble() <= json.get("rank10").asDouble());
        assertTrue(json.get("mrr").asDouble() >= rank1 && json.get("mrr").asDouble() <= json.get("rank10").asDouble());
        int noFace = json.get("no_face").asInt();
        assertTrue(noFace >= 0 && noFace <= 2, "photos without a face: " + noFace);
        // With 8 cases every searched probe is within the top 8: rank-10 is the share of probes that could be searched.
        assertTrue(json.get("rank10").asDouble() >= 0.75);
        assertTrue(rank1 >= 2 / 8.0, "rank-1 " + rank1 + " is no better than chance (1/8)");
        for (String f : List.of("index.html", "cmc.png", "roc.png", "scores.png", "result.json")) {
            assertTrue(Files.size(WORK.resolve("tracing").resolve(f)) > 0, f);
        }
    }

    @Test
    void childToAdultPairsOnTheSamePeoplePrintTheJsonLine() throws Exception {
        assumeTrue(ready(), "FG-NET dev data or model bundle absent");
        Path pairs = WORK.resolve("pairs.txt");
        eval(new ByteArrayOutputStream(), new ByteArrayOutputStream(), "make-pairs", "--manifest", manifest.toString(),
                "--output", pairs.toString());
        assertEquals(16, Files.readAllLines(pairs).size(), "8 same pairs and 8 different pairs");
        JsonNode json = run("pairs", "--pairs", pairs.toString(), "--manifest", manifest.toString(), "--cache",
                WORK.resolve("cache").toString(), "--out", WORK.resolve("pairs").toString());
        assertEquals(List.of("protocol", "model", "pairs", "accuracy", "accuracy_std", "auc", "tar_at_far_1e-2",
                "tar_at_far_1e-3", "no_face"), keys(json));
        assertEquals("pairs", json.get("protocol").asText());
        assertEquals(16, json.get("pairs").asInt());
        for (String k : List.of("accuracy", "accuracy_std", "auc", "tar_at_far_1e-2", "tar_at_far_1e-3")) {
            inUnitRange(json, k);
        }
        assertTrue(json.get("auc").asDouble() > 0.5, "AUC " + json.get("auc"));
        assertTrue(Files.readString(WORK.resolve("pairs").resolve("index.html")).contains("By age at the childhood photo"));
        assertEquals(ModelBundle.EMBEDDER + "+" + ModelBundle.TRANSFORM, json.get("model").asText());
        JsonNode raw = run("pairs", "--raw", "--pairs", pairs.toString(), "--manifest", manifest.toString(), "--cache",
                WORK.resolve("cache").toString(), "--out", WORK.resolve("pairs-raw").toString());
        assertEquals("dlib-face-embedder-v1", raw.get("model").asText(), "--raw measures the embedder's own vectors");
    }

    static final Path LAG = FGNET.resolveSibling("lag-train");

    /** 16 lag-train people, each with one young and one adult photo, as eval scale reads them. */
    static Path lagManifest() throws IOException {
        Manifest young = Manifest.read(LAG.resolve("lag-train.csv"), false, "young");
        Manifest adult = Manifest.read(LAG.resolve("lag-train.csv"), false, "adult");
        List<String> lines = new ArrayList<>(List.of("path,identity,group"));
        int people = 0;
        for (Map.Entry<String, List<Manifest.Photo>> e : new TreeMap<>(young.byIdentity()).entrySet()) {
            List<Manifest.Photo> adults = adult.byIdentity().get(e.getKey());
            if (adults == null) {
                continue;
            }
            for (Manifest.Photo p : List.of(e.getValue().get(0), adults.get(0))) {
                Path relative = WORK.toAbsolutePath().relativize(p.file().toAbsolutePath());
                lines.add(relative.toString().replace('\\', '/') + "," + e.getKey() + "," + (p == adults.get(0) ? "adult" : "young"));
            }
            if (++people == 16) {
                break;
            }
        }
        Path file = WORK.resolve("lag.csv");
        Files.write(file, lines);
        return file;
    }

    @Test
    void theProtocolAtScaleFoldsByIdentityAndWritesTheDefaultModelsPackages() throws Exception {
        assumeTrue(ready(), "FG-NET dev data or model bundle absent");
        if (!Files.isRegularFile(LAG.resolve("lag-train.csv"))) {
            System.out.println("SKIPPED: lag-train not found at " + LAG.toAbsolutePath() + " (research data, read from ../shared/data)");
            assumeTrue(false, "lag-train absent");
        }
        Path lag = lagManifest();
        Path transform = WORK.resolve("transform");
        Path calibration = WORK.resolve("homeward-evidence-calibration-test");
        JsonNode json = run("scale", "--manifest", manifest.toString(), "--distractors", lag.toString(), "--cache",
                WORK.resolve("cache").toString(), "--write-transform", transform.toString(), "--write-calibration",
                calibration.toString());
        assertEquals("scale", json.get("protocol").asText());
        assertEquals(2, json.get("folds").asInt());
        // 8 fgnet-dev and 16 lag-train people dealt into 2 folds: each fold searches its own 12 cases only
        assertEquals(12, json.get("cases_per_fold").asInt());
        List<String> settings = new ArrayList<>();
        for (JsonNode row : json.get("settings")) {
            settings.add(row.get("setting").asText());
            for (String k : List.of("rank1", "rank5", "rank10", "mrr", "lag_rank1", "auc")) {
                inUnitRange(row, k);
            }
            assertTrue(row.get("rank1").asDouble() <= row.get("rank5").asDouble()
                    && row.get("rank5").asDouble() <= row.get("rank10").asDouble(), row.toString());
        }
        assertTrue(settings.contains(ScaleProtocol.KEPT.label()), "the kept setting is measured: " + settings);
        assertTrue(settings.contains("plain embedding, no cohort"), settings.toString());

        EmbeddingTransform t = EmbeddingTransform.open(transform);
        assertEquals(ModelBundle.EMBEDDER + "+" + ScaleProtocol.V2, t.modelId());
        assertTrue(t.cohort().isPresent(), "the written package carries its cohort");
        JsonNode known = JSON.readTree(transform.resolve("known-answers.json").toFile());
        assertEquals(3, known.get("cases").size(), "known answers on dlib's own descriptors of three photos");
        assertTrue(known.get("cases").get(0).has("cohort_mean"));
        EvidenceCalibration c = EvidenceCalibration.open(calibration);
        assertEquals(t.modelId(), c.modelId(), "the calibration is of the transform written beside it");
    }

    @Test
    void aSecondModelFusedAtWeightOneScoresAsThatModelAlone() throws Exception {
        assumeTrue(ready(), "FG-NET dev data or model bundle absent");
        assumeTrue(Files.isRegularFile(LAG.resolve("lag-train.csv")), "lag-train absent");
        Path lag = lagManifest();
        Path export = WORK.resolve("export.jsonl");
        String cache = WORK.resolve("cache").toString();
        JsonNode plain = row(run("scale", "--manifest", manifest.toString(), "--distractors", lag.toString(), "--cache",
                cache, "--export", export.toString()), "plain embedding, no cohort");
        // the "second model" is the embedder's own raw vectors, as an outside script would write them
        List<String> second = new ArrayList<>();
        int withLandmarks = 0;
        for (String line : Files.readAllLines(export)) {
            JsonNode n = JSON.readTree(line);
            if (n.get("raw").size() > 0) {
                assertEquals(10, n.get("landmarks").size(), "five landmarks for the outside model's crop: " + line);
                withLandmarks++;
                second.add(JSON.createObjectNode().put("fold", n.get("fold").asInt()).put("file", n.get("file").asText())
                        .set("vector", n.get("raw")).toString());
            }
        }
        assertTrue(withLandmarks > 20, withLandmarks + " photos with a face");
        Path raw = WORK.resolve("second-model.jsonl");
        Files.write(raw, second);
        JsonNode json = run("scale", "--manifest", manifest.toString(), "--distractors", lag.toString(), "--cache", cache,
                "--fuse", raw.toString(), "--fuse-weights", "1,0.5");
        JsonNode alone = row(json, "flip, no cohort + second-model.jsonl x1.00");
        for (String k : List.of("rank1", "rank10", "mrr", "lag_rank1", "auc", "tar_at_far_1e-2")) {
            assertEquals(plain.get(k).asDouble(), alone.get(k).asDouble(), 1e-9, k + ": at weight 1 only the second model counts");
        }
        inUnitRange(row(json, ScaleProtocol.KEPT.label() + " + second-model.jsonl x0.50"), "rank1");
    }

    private static JsonNode row(JsonNode json, String setting) {
        for (JsonNode row : json.get("settings")) {
            if (row.get("setting").asText().equals(setting)) {
                return row;
            }
        }
        throw new AssertionError("no setting '" + setting + "' in " + json.get("settings"));
    }

    @Test
    void foldsAreByIdentityBalancedAndRepeatable() {
        List<ScaleProtocol.Photo> photos = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            photos.add(new ScaleProtocol.Photo(Path.of("f" + i), "fg" + (i / 3), 5, true));
            photos.add(new ScaleProtocol.Photo(Path.of("l" + i), ScaleProtocol.LAG + (i / 2), 30, false));
        }
        Map<String, Integer> folds = ScaleProtocol.deal(photos, 2, 1);
        assertEquals(10 + 15, folds.size(), "one fold per identity");
        long fgnetInFold0 = folds.entrySet().stream().filter(e -> e.getKey().startsWith("fg") && e.getValue() == 0).count();
        long lagInFold0 = folds.entrySet().stream().filter(e -> e.getKey().startsWith(ScaleProtocol.LAG) && e.getValue() == 0).count();
        assertEquals(5, fgnetInFold0, "each data set is dealt evenly");
        assertTrue(lagInFold0 == 7 || lagInFold0 == 8, "15 lag people: 7 or 8 in a fold, not " + lagInFold0);
        assertEquals(folds, ScaleProtocol.deal(photos, 2, 1), "the same seed deals the same folds");
    }
}
