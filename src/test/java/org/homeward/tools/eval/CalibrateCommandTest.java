package org.homeward.tools.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.homeward.matching.CaseRanker;
import org.homeward.matching.EvidenceCalibration;
import org.homeward.matching.EvidenceCalibration.Evidence;
import org.homeward.models.ModelsConfig;
import org.junit.jupiter.api.Test;

/**
 * {@code eval calibrate} in-process on fgnet-dev with the real models and the evaluation's embedding cache: the
 * fitted calibrations must be useful on people held out of the fit, reproduce the committed packages, and refuse
 * bad input. Skips, saying why, without the data or the models. About 30 s with a warm cache.
 */
class CalibrateCommandTest {

    static final Path FGNET_CSV = EvalEndToEndTest.FGNET.resolve("fgnet-dev.csv");
    static final Path PACKAGES = Path.of("deploy/models/packages");
    static final Path TRANSFORM = PACKAGES.resolve("homeward-embedding-transform-v1");
    static final Path WORK = Path.of("target", "calibrate-test");

    record Run(int rc, String out, String err) {
        JsonNode json() throws IOException {
            String[] lines = out.strip().split("\n");
            return EvalEndToEndTest.JSON.readTree(lines[lines.length - 1]);
        }
    }

    static Run run(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = EvalEndToEndTest.eval(out, err, args);
        System.out.print(out.toString(StandardCharsets.UTF_8));
        return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Calibrates into target/ and checks the held-out figures and the committed package's parameters. */
    /** The quality gate the v1-era packages were made with (docs/accuracy.md, "Yaw limit 0.6"). */
    static final String[] V1_GATE = {"--max-yaw", "0.45"};

    static EvidenceCalibration calibrateAndCompare(String name, String... extra) throws Exception {
        Path outDir = WORK.resolve(name);
        List<String> args = new ArrayList<>(List.of("calibrate", "--manifest", FGNET_CSV.toString(), "--out", outDir.toString()));
        args.addAll(List.of(extra));
        Run r = run(args.toArray(String[]::new));
        assertEquals(0, r.rc(), r.err());
        JsonNode json = r.json();
        assertEquals("calibrate", json.get("protocol").asText());
        assertEquals(name + "@1.0.0", json.get("package").asText());
        double cllr = json.get("heldout_cllr").asDouble();
        assertTrue(cllr < 1, name + ": Cllr on held-out people " + cllr + " is no better than saying LR 1 every time");
        assertTrue(json.get("heldout_cllr_min").asDouble() <= cllr);
        assertTrue(json.get("heldout_median_genuine_log10_lr").asDouble() > json.get("heldout_median_impostor_log10_lr").asDouble(),
                json.toString());
        double above = json.get("heldout_genuine_above_median_impostor").asDouble();
        assertTrue(above >= 0.8, name + ": only " + above + " of held-out genuine case scores get an LR above the median impostor's");

        EvidenceCalibration fitted = EvidenceCalibration.open(outDir);
        EvidenceCalibration committed = EvidenceCalibration.open(PACKAGES.resolve(name));
        assertEquals(committed.modelId(), fitted.modelId());
        assertEquals(committed.mapping().intercept(), fitted.mapping().intercept(), 1e-6 * Math.abs(committed.mapping().intercept()),
                "the committed package is what the command fits");
        assertEquals(committed.mapping().slope(), fitted.mapping().slope(), 1e-6 * committed.mapping().slope());
        assertEquals(committed.mapping().maxLog10(), fitted.mapping().maxLog10(), 1e-9);
        assertEquals(committed.mapping().minLog10(), fitted.mapping().minLog10(), 1e-9);
        return fitted;
    }

    @Test
    void rawVectorsCalibrationHelpsOnHeldOutPeopleAndIsTheCommittedOne() throws Exception {
        assumeTrue(EvalEndToEndTest.ready(), "FG-NET dev data or model bundle absent");
        // The v1-era packages were fitted with the quality gate of their time (yaw 0.45; 0.6 since transform v2):
        // with it, the command gives them back exactly.
        EvidenceCalibration c = calibrateAndCompare("homeward-evidence-calibration-dlib-v1", V1_GATE[0], V1_GATE[1]);
        assertEquals("dlib-face-embedder-v1", c.modelId());

        // The scores the command fitted are the tracing protocol's: the genuine case scores equal eval tracing's
        // true-case scores, probe by probe.
        Manifest manifest = Manifest.read(FGNET_CSV, true);
        Tracing tracing = Tracing.of(manifest, null, 12, 18);
        Map<Path, PhotoEmbeddings.Face> faces;
        try (PhotoEmbeddings e = new PhotoEmbeddings(ModelsConfig.dirFromEnvironment(), PhotoEmbeddings.defaultCacheRoot(),
                org.homeward.models.ModelsConfig.Device.auto)) {
            faces = e.embed(tracing.files(), false);
        }
        Function<PhotoEmbeddings.Face, float[]> searchable = EvalCommand.searchable(null, false);
        Function<Path, float[]> vectors = file -> searchable.apply(faces.get(file));
        List<CalibrationTrials.Trial> trials = CalibrationTrials.collect(tracing, p -> vectors, CaseRanker.DEFAULT);
        Map<Path, Double> genuine = new TreeMap<>();
        trials.stream().filter(CalibrationTrials.Trial::genuine).forEach(t -> genuine.put(t.probe(), t.score()));
        int compared = 0;
        for (Tracing.ProbeResult r : tracing.run(vectors, CaseRanker.DEFAULT, p -> true)) {
            if (!Double.isNaN(r.trueScore())) {
                assertEquals(r.trueScore(), genuine.get(r.probe().photo().file()), 1e-12);
                compared++;
            }
        }
        assertEquals(genuine.size(), compared);
        assertTrue(compared > 100, compared + " probes");

        // What an investigator sees for the best and worst case score of a probe: a band, and LRs in order.
        Evidence strong = c.evidence(trials.stream().mapToDouble(CalibrationTrials.Trial::score).max().orElseThrow());
        Evidence weak = c.evidence(trials.stream().mapToDouble(CalibrationTrials.Trial::score).min().orElseThrow());
        assertTrue(strong.band().supportsSamePerson() && !weak.band().supportsSamePerson(), strong + " / " + weak);
    }

    @Test
    void transformedVectorsCalibrationHelpsOnHeldOutPeopleAndIsTheCommittedOne() throws Exception {
        assumeTrue(EvalEndToEndTest.ready(), "FG-NET dev data or model bundle absent");
        EvidenceCalibration c = calibrateAndCompare("homeward-evidence-calibration-transform-v1", "--transform", TRANSFORM.toString(),
                V1_GATE[0], V1_GATE[1]);
        assertEquals("dlib-face-embedder-v1+homeward-embedding-transform-v1", c.modelId());
    }

    @Test
    void badInputIsRefusedAndChangesNothing() throws Exception {
        assumeTrue(EvalEndToEndTest.ready(), "FG-NET dev data or model bundle absent");
        Run r = run("calibrate", "--manifest", FGNET_CSV.toString());
        assertEquals(2, r.rc());
        assertTrue(r.err().contains("Missing required option: '--out"), r.err());

        String before = Files.readString(TRANSFORM.resolve("manifest.json"));
        r = run("calibrate", "--manifest", FGNET_CSV.toString(), "--out", TRANSFORM.toString());
        assertEquals(2, r.rc());
        assertTrue(r.err().contains("is another kind of model package (task 'embedding-transform')"), r.err());
        assertEquals(before, Files.readString(TRANSFORM.resolve("manifest.json")));

        r = run("calibrate", "--manifest", FGNET_CSV.toString(), "--out", WORK.resolve("x").toString(), "--aggregation", "max");
        assertEquals(2, r.rc());
        assertTrue(r.err().contains("Unknown options: '--aggregation', 'max'"), r.err());
        assertFalse(Files.exists(WORK.resolve("x")));

        r = run("calibrate", "--manifest", FGNET_CSV.toString(), "--out", WORK.resolve("Bad Name").toString());
        assertEquals(2, r.rc());
        assertTrue(r.err().contains("must be lower-case letters"), r.err());
    }

    @Test
    void aTransformIsOnlyCalibratedOnTheDataItWasLearnedFrom() throws Exception {
        assumeTrue(EvalEndToEndTest.ready(), "FG-NET dev data or model bundle absent");
        // fgnet-dev without one person: relearning the transform on it does not give the package, so leaving a
        // person out of it would not make that person's scores out of sample.
        List<String> lines = Files.readAllLines(FGNET_CSV);
        String dropped = lines.get(1).split(",")[1];
        List<String> kept = new ArrayList<>(List.of(lines.get(0)));
        for (String line : lines.subList(1, lines.size())) {
            if (!line.split(",")[1].equals(dropped)) {
                kept.add(EvalEndToEndTest.FGNET.toAbsolutePath().resolve(line.split(",")[0]) + line.substring(line.indexOf(',')));
            }
        }
        Files.createDirectories(WORK);
        Path csv = WORK.resolve("fgnet-dev-but-one.csv");
        Files.write(csv, kept);
        Path outDir = WORK.resolve("not-written");
        Run r = run("calibrate", "--manifest", csv.toString(), "--transform", TRANSFORM.toString(), "--out", outDir.toString());
        assertEquals(2, r.rc());
        assertTrue(r.err().contains("was not learned on"), r.err());
        assertFalse(Files.exists(outDir.resolve("manifest.json")));
    }
}
