package org.homeward.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.homeward.models.ModelUnavailable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The learned transform: its formula on hand-made numbers, its package format, and the committed package. */
class EmbeddingTransformTest {

    static final Path COMMITTED = Path.of("deploy/models/packages/homeward-embedding-transform-v1");

    @Test
    void normalisesSubtractsTheMeanMultipliesAndNormalisesAgain() {
        EmbeddingTransform t = new EmbeddingTransform("t", "e", false, new double[] {0.1, 0}, new double[][] {{2, 0}, {0, 1}});
        // x = (3, 4) / 5 = (0.6, 0.8); x - mean = (0.5, 0.8); y = (1.0, 0.8); y / |y|
        float[] y = t.apply(new float[] {3, 4});
        double n = Math.sqrt(1.0 + 0.64);
        assertArrayEquals(new float[] {(float) (1.0 / n), (float) (0.8 / n)}, y, 1e-6f);
        assertEquals("e+t", t.modelId());
        assertThrows(IllegalArgumentException.class, () -> t.apply(new float[3]));
    }

    @Test
    void flipAveragingIsTheMeanOfTheTwoUnitVectors() {
        assertArrayEquals(new float[] {0.5f, 0.5f}, EmbeddingTransform.flipAveraged(new float[] {2, 0}, new float[] {0, 5}), 1e-6f);
    }

    static void writePackage(Path dir, String params, String sha) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("parameters.json"), params);
        Files.writeString(dir.resolve("manifest.json"), """
                {"name": "homeward-embedding-transform-test", "version": "0.0.1", "task": "embedding-transform",
                 "input": {"embedder": "dlib-face-embedder-v1", "dimension": 2, "flip_average": true},
                 "method": {"parameters_file": "parameters.json"},
                 "files": {"parameters.json": {"sha256": "%s"}}}
                """.formatted(sha));
    }

    static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void opensAPackageAndRefusesADamagedOne(@TempDir Path dir) throws Exception {
        String params = "{\"mean\": [0, 0], \"matrix\": [[0, 1], [1, 0], [1, 1]]}";
        writePackage(dir.resolve("ok"), params, sha256(params));
        EmbeddingTransform t = EmbeddingTransform.open(dir.resolve("ok"));
        assertEquals("dlib-face-embedder-v1+homeward-embedding-transform-test", t.modelId());
        assertTrue(t.flipAverage());
        assertEquals(2, t.inputDimension());
        assertEquals(3, t.outputDimension());
        writePackage(dir.resolve("damaged"), params, sha256(params + " "));
        assertThrows(ModelUnavailable.class, () -> EmbeddingTransform.open(dir.resolve("damaged")));
        String ragged = "{\"mean\": [0, 0], \"matrix\": [[0, 1, 2]]}";
        writePackage(dir.resolve("ragged"), ragged, sha256(ragged));
        assertThrows(ModelUnavailable.class, () -> EmbeddingTransform.open(dir.resolve("ragged")));
    }

    @Test
    void theCommittedPackageMapsDlibVectorsToUnitVectors() {
        if (!Files.isDirectory(COMMITTED)) {
            System.out.println("SKIPPED: no package at " + COMMITTED);
            return;
        }
        EmbeddingTransform t = EmbeddingTransform.open(COMMITTED);
        assertEquals("dlib-face-embedder-v1", t.embedderId());
        assertEquals(128, t.inputDimension());
        float[] v = new float[128];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (0.11 * Math.sin(0.37 * i) + 0.05);
        }
        float[] y = t.apply(v);
        double n = 0;
        for (float x : y) {
            assertTrue(Float.isFinite(x));
            n += x * x;
        }
        assertEquals(1.0, n, 1e-5);
        assertEquals(1.0, Similarity.cosine(y, t.apply(v)), 1e-9);
    }

    @Test
    void aCohortJudgesAFaceAgainstItsLikenessToAdultsInGeneral() {
        ScoreCohort cohort = new ScoreCohort(new float[][] {{1, 0}, {0, 1}, {0.6f, 0.8f}}, 2);
        // similarities of (1, 0) to the centres: 1, 0, 0.6; the mean of the top 2 is 0.8
        assertEquals(0.8, cohort.mean(new float[] {1, 0}), 1e-6);
        assertEquals(0.1, cohort.normalise(0.9, new float[] {1, 0}), 1e-6);
        // a face that resembles the cohort less loses less: (0, 1) -> 1, 0.8 -> 0.9
        assertEquals(0.0, cohort.normalise(0.9, new float[] {0, 1}), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> cohort.mean(new float[3]));
        assertThrows(IllegalArgumentException.class, () -> new ScoreCohort(new float[][] {{1, 0}}, 2));
        assertThrows(IllegalArgumentException.class, () -> new ScoreCohort(new float[0][], 1));
    }

    @Test
    void aPackageCarriesItsCohortAndADamagedCohortIsRefused(@TempDir Path dir) throws Exception {
        String params = "{\"mean\": [0, 0], \"matrix\": [[1, 0], [0, 1]], \"cohort\": {\"top\": 1, \"centres\": [[1, 0], [0, 1]]}}";
        writePackage(dir.resolve("ok"), params, sha256(params));
        ScoreCohort cohort = EmbeddingTransform.open(dir.resolve("ok")).cohort().orElseThrow();
        assertEquals(2, cohort.size());
        assertEquals(1, cohort.top());
        String badTop = "{\"mean\": [0, 0], \"matrix\": [[1, 0], [0, 1]], \"cohort\": {\"top\": 3, \"centres\": [[1, 0], [0, 1]]}}";
        writePackage(dir.resolve("top"), badTop, sha256(badTop));
        assertTrue(assertThrows(ModelUnavailable.class, () -> EmbeddingTransform.open(dir.resolve("top"))).getMessage()
                .contains("cohort.top"));
        String badCentre = "{\"mean\": [0, 0], \"matrix\": [[1, 0], [0, 1]], \"cohort\": {\"top\": 1, \"centres\": [[1, 0, 0]]}}";
        writePackage(dir.resolve("centre"), badCentre, sha256(badCentre));
        assertThrows(ModelUnavailable.class, () -> EmbeddingTransform.open(dir.resolve("centre")));
        String none = "{\"mean\": [0, 0], \"matrix\": [[1, 0], [0, 1]]}";
        writePackage(dir.resolve("none"), none, sha256(none));
        assertTrue(EmbeddingTransform.open(dir.resolve("none")).cohort().isEmpty(), "v1's format: no cohort");
    }

    @Test
    void theDefaultPackageV2CarriesItsCohortAndNamesItsDataAndTerms() throws IOException {
        Path v2 = Path.of("deploy/models/packages/homeward-embedding-transform-v2");
        EmbeddingTransform t = EmbeddingTransform.open(v2);
        assertEquals("dlib-face-embedder-v1+homeward-embedding-transform-v2", t.modelId());
        assertTrue(t.flipAverage());
        ScoreCohort cohort = t.cohort().orElseThrow();
        assertEquals(400, cohort.size());
        assertEquals(60, cohort.top());
        String manifest = Files.readString(v2.resolve("manifest.json"));
        assertTrue(manifest.contains("lag-train") && manifest.contains("non-commercial") && manifest.contains("FG-NET"),
                "the manifest names the training data and its terms");
    }
}
