package org.homeward.matching;

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
}
