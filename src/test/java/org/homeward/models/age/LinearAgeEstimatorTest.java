package org.homeward.models.age;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.homeward.models.AgeEstimator.AgeEstimate;
import org.homeward.models.ModelPackage;
import org.homeward.models.ModelUnavailable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed package deploy/models/packages/homeward-age-estimator-v1 gives, in Java, what
 * deploy/models/train_age_estimator.py computes from the same parameters. The vectors are synthetic
 * (no FG-NET data); the expected values come from
 * {@code /usr/bin/python3 deploy/models/train_age_estimator.py --test-vectors}.
 */
class LinearAgeEstimatorTest {

    static final Path PACKAGE = Path.of("deploy/models/packages/homeward-age-estimator-v1");

    /** years and uncertainty per synthetic vector k = 0..4, as printed by --test-vectors. */
    static final double[][] EXPECTED = {
        {10.434032, 3.291},
        {15.418779, 8.464},
        {19.568941, 11.401},
        {4.205983, 2.61},
        {15.211275, 8.464},
    };

    /** The same formula as train_age_estimator.synthetic_vectors(). */
    static float[] synthetic(int k) {
        float[] v = new float[128];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (0.11 * Math.sin(0.37 * i + 1.9 * k) + 0.05 * Math.cos(0.11 * i * (k + 1)) - 0.01 * k);
        }
        return v;
    }

    @Test
    void reproducesThePythonPredictions() {
        LinearAgeEstimator estimator = new LinearAgeEstimator(ModelPackage.open(PACKAGE));
        assertEquals("homeward-age-estimator-v1", estimator.modelId());
        assertEquals("dlib-face-embedder-v1", estimator.embedderId());
        for (int k = 0; k < EXPECTED.length; k++) {
            AgeEstimate e = estimator.estimate(synthetic(k));
            assertEquals(EXPECTED[k][0], e.years(), 1e-4, "years, vector " + k);
            assertEquals(EXPECTED[k][1], e.uncertainty(), 1e-4, "uncertainty, vector " + k);
        }
    }

    @Test
    void refusesWrongInput() {
        LinearAgeEstimator estimator = new LinearAgeEstimator(ModelPackage.open(PACKAGE));
        assertThrows(IllegalArgumentException.class, () -> estimator.estimate(new float[127]));
        assertThrows(IllegalArgumentException.class, () -> estimator.estimate(null));
        float[] v = synthetic(0);
        v[5] = Float.NaN;
        assertThrows(IllegalArgumentException.class, () -> estimator.estimate(v));
    }

    @Test
    void appliesTheLogLinkClampAndUncertaintyBands(@TempDir Path dir) throws IOException {
        // y = ln(16) + 0.5 * x[0]: x[0] = 0 gives 16 - 16 = 0 years; the others follow exp(y) - 16.
        writePackage(dir, "age-estimation", weights(0.5), Math.log(16.0), "{\"kind\": \"log_age_plus_c\", \"c\": 16.0}");
        LinearAgeEstimator estimator = new LinearAgeEstimator(ModelPackage.open(dir));
        assertEquals(0.0, estimator.estimate(first(0f)).years(), 1e-6);
        assertEquals(1.0f, estimator.estimate(first(0f)).uncertainty());
        assertEquals(0.0, estimator.estimate(first(-3f)).years(), 1e-6, "clamped at 0");
        double y7 = 16 * Math.exp(0.5 * 0.75) - 16;           // 7.28 years
        assertEquals(y7, estimator.estimate(first(0.75f)).years(), 1e-4);
        assertEquals(2.0f, estimator.estimate(first(0.75f)).uncertainty(), "band from 6");
        assertEquals(4.0f, estimator.estimate(first(2f)).uncertainty(), "band from 19 (16e - 16 = 27 years)");
        assertEquals(90.0, estimator.estimate(first(20f)).years(), 1e-6, "clamped at max_years");
    }

    @Test
    void appliesALinearTargetInYears(@TempDir Path dir) throws IOException {
        writePackage(dir, "age-estimation", weights(10.0), 5.0, "{\"kind\": \"years\"}");
        LinearAgeEstimator estimator = new LinearAgeEstimator(ModelPackage.open(dir));
        assertEquals(15.0, estimator.estimate(first(1f)).years(), 1e-6);
        assertEquals(3.0f, estimator.estimate(first(1f)).uncertainty());
    }

    @Test
    void refusesOtherPackagesAndDamagedParameters(@TempDir Path dir) throws IOException {
        Path other = Files.createDirectories(dir.resolve("other"));
        writePackage(other, "face-embedding", weights(1.0), 0.0, "{\"kind\": \"years\"}");
        ModelPackage notAge = ModelPackage.open(other);
        assertThrows(ModelUnavailable.class, () -> new LinearAgeEstimator(notAge));

        Path damaged = Files.createDirectories(dir.resolve("damaged"));
        writePackage(damaged, "age-estimation", weights(1.0), 0.0, "{\"kind\": \"years\"}");
        Files.writeString(damaged.resolve("parameters.json"), " ", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        ModelUnavailable e = assertThrows(ModelUnavailable.class, () -> ModelPackage.open(damaged));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    private static float[] first(float x0) {
        float[] v = new float[128];
        v[0] = x0;
        return v;
    }

    private static String weights(double w0) {
        StringBuilder sb = new StringBuilder("[").append(w0);
        for (int i = 1; i < 128; i++) {
            sb.append(", 0");
        }
        return sb.append(']').toString();
    }

    private static void writePackage(Path dir, String task, String weights, double bias, String target) throws IOException {
        String params = """
                {"format": "homeward-age-estimator-parameters/1", "method": "test", "input_dimension": 128,
                 "max_years": 90.0, "target": %s, "weights": %s, "bias": %s,
                 "uncertainty": {"kind": "rms_error_years_by_predicted_age", "table": [
                   {"predicted_from": 0.0, "rms_error": 1.0}, {"predicted_from": 6.0, "rms_error": 2.0},
                   {"predicted_from": 13.0, "rms_error": 3.0}, {"predicted_from": 19.0, "rms_error": 4.0}]}}
                """.formatted(target, weights, Double.toString(bias));
        Files.writeString(dir.resolve("parameters.json"), params, StandardCharsets.UTF_8);
        String manifest = """
                {"name": "test-age", "version": "0", "task": "%s",
                 "input": {"embedder": "dlib-face-embedder-v1", "dimension": 128},
                 "method": {"parameters_file": "parameters.json"},
                 "files": {"parameters.json": {"sha256": "%s"}}}
                """.formatted(task, sha256(dir.resolve("parameters.json")));
        Files.writeString(dir.resolve("manifest.json"), manifest, StandardCharsets.UTF_8);
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
