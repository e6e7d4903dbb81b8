package org.homeward.models.dlib;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.homeward.models.FaceBox;
import org.homeward.models.Landmarks;
import org.homeward.models.ModelPackage;
import org.homeward.models.ModelsConfig;
import org.homeward.photos.ImageDecoder;

/** The dlib reference fixtures (dlib's own C++ output on photos Debian installs) and the model bundle, shared by the tests. */
final class DlibFixtures {

    static final String DETECTOR = "dlib-face-detector-mmod";
    static final String PREDICTOR = "dlib-shape-predictor-5";
    static final String EMBEDDER = "dlib-face-embedder-v1";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static MmodFaceDetector detector;
    private static ShapePredictor5 predictor;
    private static DlibFaceEmbedder embedder;

    private DlibFixtures() {
    }

    /** The fixture files named by index.json, for parameterised tests. */
    static List<String> names() {
        List<String> out = new ArrayList<>();
        for (JsonNode f : resource("index.json").path("fixtures")) {
            out.add(f.path("file").asText());
        }
        return out;
    }

    static JsonNode fixture(String name) {
        return resource(name);
    }

    private static JsonNode resource(String name) {
        try (InputStream in = DlibFixtures.class.getResourceAsStream("/dlib-reference/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource dlib-reference/" + name);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fixture's photo decoded as the app decodes uploads; skips the test when the Debian package is absent. */
    static BufferedImage image(JsonNode fixture) {
        Path file = Path.of(fixture.path("image").asText());
        skipUnless(Files.isRegularFile(file), file + " is absent (apt-get install "
                + fixture.path("debian_package").asText() + ")");
        try {
            return ImageDecoder.decode(Files.readAllBytes(file), Long.MAX_VALUE).rgb();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Skips the test, saying why on the console as well as in the report. */
    static void skipUnless(boolean condition, String reason) {
        if (!condition) {
            System.out.println("dlib test skipped: " + reason);
        }
        assumeTrue(condition, "skipped: " + reason);
    }

    static Path modelsDir() {
        String env = System.getenv("HOMEWARD_MODELS");
        return Path.of(env == null || env.isBlank() ? "/var/lib/homeward/models" : env);
    }

    /** Opens a package of the bundle; skips the test when the bundle has not been built. */
    static ModelPackage pkg(String name) {
        Path dir = modelsDir().resolve(name);
        skipUnless(Files.isRegularFile(dir.resolve("manifest.json")), "no model package at " + dir
                + " (build the default bundle with deploy/homeward models, or set HOMEWARD_MODELS)");
        return ModelPackage.open(dir);
    }

    static synchronized MmodFaceDetector detector() {
        if (detector == null) {
            detector = new MmodFaceDetector(pkg(DETECTOR), ModelsConfig.Device.cpu);
        }
        return detector;
    }

    static synchronized ShapePredictor5 predictor() {
        if (predictor == null) {
            predictor = new ShapePredictor5(pkg(PREDICTOR));
        }
        return predictor;
    }

    static synchronized DlibFaceEmbedder embedder() {
        if (embedder == null) {
            embedder = new DlibFaceEmbedder(pkg(EMBEDDER), ModelsConfig.Device.cpu);
        }
        return embedder;
    }

    static FaceBox box(JsonNode b, float score) {
        return new FaceBox(b.get(0).asInt(), b.get(1).asInt(), b.get(2).asInt(), b.get(3).asInt(), score);
    }

    static Landmarks landmarks(JsonNode pts) {
        double[] x = new double[Landmarks.COUNT];
        double[] y = new double[Landmarks.COUNT];
        for (int i = 0; i < Landmarks.COUNT; i++) {
            x[i] = pts.get(i).get(0).asDouble();
            y[i] = pts.get(i).get(1).asDouble();
        }
        return new Landmarks(x, y);
    }

    static float[] floats(JsonNode arr) {
        float[] out = new float[arr.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) arr.get(i).asDouble();
        }
        return out;
    }

    /** Faces and probes alike: every box the fixture ran the predictor, chip and descriptor on. */
    static List<JsonNode> allFaces(JsonNode fixture) {
        List<JsonNode> out = new ArrayList<>();
        fixture.path("faces").forEach(out::add);
        fixture.path("probes").forEach(out::add);
        return out;
    }
}
