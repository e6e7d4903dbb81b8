package org.homeward.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.homeward.matching.EvidenceCalibration.Band;
import org.homeward.matching.EvidenceCalibration.Evidence;
import org.homeward.models.ModelUnavailable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The calibration's LRs, its packages (committed and installed), and what it refuses. */
class EvidenceCalibrationTest {

    static final Path PACKAGES = Path.of("deploy/models/packages");
    static final String RAW = "dlib-face-embedder-v1";
    static final String TRANSFORMED = "dlib-face-embedder-v1+homeward-embedding-transform-v1";
    static final String TRANSFORMED_V2 = "dlib-face-embedder-v1+homeward-embedding-transform-v2";
    static final List<String> COMMITTED = List.of("homeward-evidence-calibration-dlib-v1",
            "homeward-evidence-calibration-transform-v1", "homeward-evidence-calibration-transform-v2");
    static final ObjectMapper JSON = new ObjectMapper();

    static EvidenceCalibration handMade() {
        return new EvidenceCalibration("c", "1", RAW, new EvidenceMapping(-3, 12, -2, 3));
    }

    @Test
    void lrFollowsTheFormulaAndGrowsWithTheScoreUpToItsBounds() {
        EvidenceCalibration c = handMade();
        // log10 LR = -3 + 12 s: s = 0.25 -> 0, s = 1/3 -> 1, s = 0.5 -> 3 (the upper bound), s = 0 -> -3, bounded at -2
        assertEquals(1, c.evidence(0.25).likelihoodRatio(), 1e-12);
        assertEquals(Band.NEUTRAL, c.evidence(0.25).band());
        assertEquals(10, c.evidence(1 / 3.0).likelihoodRatio(), 1e-9);
        assertEquals(1000, c.evidence(0.5).likelihoodRatio(), 1e-9);
        assertEquals(1000, c.evidence(1).likelihoodRatio(), 1e-9);
        assertEquals(0.01, c.evidence(0).likelihoodRatio(), 1e-12);
        assertEquals(0.01, c.evidence(-1).likelihoodRatio(), 1e-12);
        assertEquals(1000, c.maxLikelihoodRatio(), 1e-9);
        assertEquals(0.01, c.minLikelihoodRatio(), 1e-12);
        assertMonotoneAndBounded(c);
        assertThrows(IllegalArgumentException.class, () -> c.evidence(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> c.evidence(Double.POSITIVE_INFINITY));
    }

    /** Over every cosine-like score: never decreasing, strictly increasing between the bounds, never beyond them. */
    static void assertMonotoneAndBounded(EvidenceCalibration c) {
        double previous = 0;
        for (int i = -10_000; i <= 10_000; i++) {
            double s = i / 10_000.0;
            Evidence e = c.evidence(s);
            double lr = e.likelihoodRatio();
            assertTrue(lr >= c.minLikelihoodRatio() && lr <= c.maxLikelihoodRatio(), c.id() + ": LR " + lr + " at " + s);
            if (i > -10_000) {
                boolean inside = previous > c.minLikelihoodRatio() && lr < c.maxLikelihoodRatio();
                assertTrue(inside ? lr > previous : lr >= previous, c.id() + ": LR " + lr + " at " + s + " after " + previous);
            }
            assertEquals(Band.of(lr), e.band());
            previous = lr;
        }
    }

    @Test
    void parametersThatCouldNotBeMonotoneOrBoundedAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new EvidenceMapping(0, 0, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> new EvidenceMapping(0, -2, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> new EvidenceMapping(0, 2, 0.5, 1));
        assertThrows(IllegalArgumentException.class, () -> new EvidenceMapping(0, 2, -1, Double.POSITIVE_INFINITY));
    }

    @Test
    void theCommittedPackagesAreMonotoneAndBoundedByTheirData() throws IOException {
        for (String name : COMMITTED) {
            Path dir = PACKAGES.resolve(name);
            EvidenceCalibration c = EvidenceCalibration.open(dir);
            assertEquals(name + "@1.0.0", c.id());
            assertMonotoneAndBounded(c);
            JsonNode fitted = JSON.readTree(dir.resolve("manifest.json").toFile()).path("fitted_on");
            int impostors = fitted.path("impostor_scores").asInt();
            int genuine = fitted.path("genuine_scores").asInt();
            assertTrue(impostors > 1000 && genuine > 100, name + ": " + fitted);
            assertTrue(c.maxLikelihoodRatio() <= impostors + 1, name + ": max LR " + c.maxLikelihoodRatio());
            assertTrue(c.minLikelihoodRatio() >= 1.0 / (genuine + 1), name + ": min LR " + c.minLikelihoodRatio());
        }
        assertEquals(RAW, EvidenceCalibration.open(PACKAGES.resolve(COMMITTED.get(0))).modelId());
        assertEquals(TRANSFORMED, EvidenceCalibration.open(PACKAGES.resolve(COMMITTED.get(1))).modelId());
        assertEquals(TRANSFORMED_V2, EvidenceCalibration.open(PACKAGES.resolve(COMMITTED.get(2))).modelId());
    }

    static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    static void editManifest(Path dir, java.util.function.Consumer<ObjectNode> edit) throws IOException {
        ObjectNode m = (ObjectNode) JSON.readTree(dir.resolve("manifest.json").toFile());
        edit.accept(m);
        JSON.writeValue(dir.resolve("manifest.json").toFile(), m);
    }

    @Test
    void aTamperedPackageIsRefused(@TempDir Path tmp) throws IOException {
        Path source = PACKAGES.resolve(COMMITTED.get(0));

        Path edited = copy(source, tmp.resolve("edited"));
        String params = Files.readString(edited.resolve("parameters.json"));
        Files.writeString(edited.resolve("parameters.json"), params.replaceFirst("\"slope\" : ", "\"slope\" : 2"));
        ModelUnavailable e = assertThrows(ModelUnavailable.class, () -> EvidenceCalibration.open(edited));
        assertTrue(e.getMessage().contains("parameters.json does not match its checksum"), e.getMessage());

        Path otherRule = copy(source, tmp.resolve("rule"));
        editManifest(otherRule, m -> ((ObjectNode) m.path("input").path("case_score")).put("rule", "max"));
        e = assertThrows(ModelUnavailable.class, () -> EvidenceCalibration.open(otherRule));
        assertTrue(e.getMessage().contains("fitted on case scores by 'max'"), e.getMessage());

        Path otherTask = copy(source, tmp.resolve("task"));
        editManifest(otherTask, m -> m.put("task", "embedding-transform"));
        e = assertThrows(ModelUnavailable.class, () -> EvidenceCalibration.open(otherTask));
        assertTrue(e.getMessage().contains("is not an evidence calibration"), e.getMessage());

        Path unlisted = copy(source, tmp.resolve("unlisted"));
        editManifest(unlisted, m -> m.putObject("files"));
        e = assertThrows(ModelUnavailable.class, () -> EvidenceCalibration.open(unlisted));
        assertTrue(e.getMessage().contains("not listed"), e.getMessage());

        assertThrows(ModelUnavailable.class, () -> EvidenceCalibration.open(tmp.resolve("nothing-here")));
    }

    @Test
    void forModelFindsTheCalibrationOfASearchModelAndItsNewestVersion(@TempDir Path models) throws IOException {
        copy(PACKAGES.resolve(COMMITTED.get(0)), models.resolve("a"));
        copy(PACKAGES.resolve(COMMITTED.get(0)), models.resolve("b"));
        editManifest(models.resolve("b"), m -> m.put("version", "1.10.0"));
        copy(PACKAGES.resolve(COMMITTED.get(1)), models.resolve("c"));
        Files.createDirectories(models.resolve("not-a-package"));
        Files.createDirectories(models.resolve("broken"));
        Files.writeString(models.resolve("broken").resolve("manifest.json"), "{");

        assertEquals("homeward-evidence-calibration-dlib-v1@1.10.0", EvidenceCalibration.forModel(models, RAW).orElseThrow().id());
        assertEquals(TRANSFORMED, EvidenceCalibration.forModel(models, TRANSFORMED).orElseThrow().modelId());
        assertEquals(Optional.empty(), EvidenceCalibration.forModel(models, "some-other-embedder"));
        assertEquals(Optional.empty(), EvidenceCalibration.forModel(models.resolve("absent"), RAW));

        // A matching package that is damaged is an error, not an absence.
        Files.writeString(models.resolve("c").resolve("parameters.json"), "{}");
        assertThrows(ModelUnavailable.class, () -> EvidenceCalibration.forModel(models, TRANSFORMED));
    }

    @Test
    void theInstalledBundleHasACalibrationForBothSearchModels() {
        Path models = Path.of(System.getenv().getOrDefault("HOMEWARD_MODELS", "/var/lib/homeward/models"));
        boolean bundle = Files.isRegularFile(models.resolve("dlib-face-embedder-v1").resolve("manifest.json"));
        if (!bundle) {
            System.out.println("SKIPPED: no model bundle at " + models + " (build it with deploy/homeward models)");
        }
        assumeTrue(bundle, "no model bundle");
        for (int i = 0; i < 2; i++) {
            String modelId = i == 0 ? RAW : TRANSFORMED;
            EvidenceCalibration installed = EvidenceCalibration.forModel(models, modelId).orElseThrow(() -> new AssertionError(
                    "no calibration for " + modelId + " in " + models + ": install it with deploy/homeward models"));
            EvidenceCalibration committed = EvidenceCalibration.open(PACKAGES.resolve(COMMITTED.get(i)));
            assertEquals(committed.id(), installed.id());
            assertEquals(committed.mapping(), installed.mapping());
        }
    }
}
