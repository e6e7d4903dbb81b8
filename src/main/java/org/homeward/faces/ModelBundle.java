package org.homeward.faces;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.homeward.models.AgeEstimator;
import org.homeward.models.EmbeddingTransform;
import org.homeward.models.FaceDetector;
import org.homeward.models.FaceEmbedder;
import org.homeward.models.LandmarkPredictor;
import org.homeward.models.ModelPackage;
import org.homeward.models.ModelUnavailable;
import org.homeward.models.ModelsConfig;
import org.homeward.models.TorchRuntime;
import org.homeward.models.age.LinearAgeEstimator;
import org.homeward.models.dlib.DlibFaceEmbedder;
import org.homeward.models.dlib.MmodFaceDetector;
import org.homeward.models.dlib.ShapePredictor5;

/**
 * The models the face pipeline runs, opened from their packages on first use (so a web-only process
 * never loads libtorch) and shared by every thread, and the embedding transform that decides which
 * vectors searches compare. Plain Java: the app, the commands and the tests build it the same way.
 */
public class ModelBundle implements AutoCloseable {

    public static final String DETECTOR = "dlib-face-detector-mmod";
    public static final String LANDMARKS = "dlib-shape-predictor-5";
    public static final String EMBEDDER = "dlib-face-embedder-v1";
    public static final String AGE = "homeward-age-estimator-v1";
    /** The transform searches use by default (homeward.models.transform). */
    public static final String TRANSFORM = "homeward-embedding-transform-v2";
    /** homeward.models.transform's value for searching the embedder's raw vectors. */
    public static final String NO_TRANSFORM = "none";

    /** Bundles whose self-test passed in this JVM (by folder and device): commands check each once. */
    private static final Map<String, SelfTestReport> PASSED_IN_THIS_JVM = new ConcurrentHashMap<>();

    private final Path dir;
    private final ModelsConfig.Device device;
    private final int detectorMaxSide;
    private final String transformName;

    private volatile FaceDetector detector;
    private volatile LandmarkPredictor landmarks;
    private volatile FaceEmbedder embedder;
    private volatile Optional<AgeEstimator> ageEstimator;
    private volatile Optional<EmbeddingTransform> transform;
    private volatile String transformNote;

    /** A bundle that searches the embedder's raw vectors (no transform). */
    public ModelBundle(Path dir, ModelsConfig.Device device, int detectorMaxSide) {
        this(dir, device, detectorMaxSide, NO_TRANSFORM);
    }

    /** {@code transform}: the package name of the embedding transform searches use, or {@link #NO_TRANSFORM}. */
    public ModelBundle(Path dir, ModelsConfig.Device device, int detectorMaxSide, String transform) {
        if (transform == null || transform.isBlank() || !transform.matches("[A-Za-z0-9._+-]+") || transform.startsWith(".")) {
            throw new IllegalArgumentException("homeward.models.transform must name a model package in " + dir
                    + " or be '" + NO_TRANSFORM + "', not '" + transform + "'");
        }
        this.dir = dir;
        this.device = device;
        this.detectorMaxSide = detectorMaxSide;
        this.transformName = transform;
    }

    public static ModelBundle of(ModelsConfig config) {
        if (config.threads() > 0) {
            // Read by DJL when the engine first loads; on a shared host, fewer threads than cores
            // keeps the web role responsive while the worker runs.
            System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(config.threads()));
        }
        return new ModelBundle(config.dir(), config.device(), config.detectorMaxSide(), config.transform());
    }

    public Path dir() {
        return dir;
    }

    /** The configured transform package, or {@link #NO_TRANSFORM}. */
    public String transformName() {
        return transformName;
    }

    public ModelsConfig.Device device() {
        return device;
    }

    /** The fingerprint of the runtime these models run on (stored beside what it computes). */
    public String runtime() {
        return TorchRuntime.fingerprint(device, ModelSelfTest.VERSION);
    }

    /** Runs the known-answer self-test of every installed package (opens the models). */
    public SelfTestReport selfTest() {
        return ModelSelfTest.run(this, runtime());
    }

    /**
     * For commands (eval, bench): the self-test of the bundle in {@code dir} on this runtime, run once per JVM,
     * its verdicts printed to stderr; throws {@link ModelUnavailable} with the failures when it did not pass.
     */
    public static SelfTestReport requireSelfTest(Path dir, ModelsConfig.Device device) {
        String key = dir.toAbsolutePath().normalize() + "|" + device;
        SelfTestReport known = PASSED_IN_THIS_JVM.get(key);
        if (known != null) {
            return known;
        }
        try (ModelBundle bundle = new ModelBundle(dir, device, 0, TRANSFORM)) {
            SelfTestReport report = bundle.selfTest();
            report.verdicts().forEach(v -> System.err.println("self-test: " + v.line()));
            if (!report.passed()) {
                throw new ModelUnavailable(report.summary());
            }
            PASSED_IN_THIS_JVM.put(key, report);
            return report;
        }
    }

    /**
     * The model id under which searchable vectors are stored and searched: the one every search, the
     * evidence calibration and the index use. With a transform installed it is the transform's model id
     * (embedder + "+" + transform), otherwise the embedder's.
     */
    public String searchModelId() {
        return transform().map(EmbeddingTransform::modelId).orElse(EMBEDDER);
    }

    /**
     * The embedding transform searches use: the configured package when it is installed, else empty (then
     * {@link #transformNote()} says why). A package that is there but damaged, or made for another embedder,
     * fails loudly rather than letting searches quietly fall back to raw vectors.
     */
    public synchronized Optional<EmbeddingTransform> transform() {
        if (transform == null) {
            Path pkg = dir.resolve(transformName);
            if (NO_TRANSFORM.equals(transformName)) {
                transformNote = "no transform (homeward.models.transform=" + NO_TRANSFORM + "): searches compare raw "
                        + EMBEDDER + " vectors";
                transform = Optional.empty();
            } else if (!Files.isDirectory(pkg)) {
                transformNote = "the transform " + transformName + " is not installed in " + dir + " (install it with "
                        + "deploy/homeward models): searches compare raw " + EMBEDDER + " vectors";
                transform = Optional.empty();
            } else {
                EmbeddingTransform t = EmbeddingTransform.open(pkg);
                if (!EMBEDDER.equals(t.embedderId())) {
                    throw new ModelUnavailable("the transform " + transformName + " reads vectors of '" + t.embedderId()
                            + "', but the bundle's embedder is " + EMBEDDER);
                }
                transformNote = null;
                transform = Optional.of(t);
            }
        }
        return transform;
    }

    /** Why no transform is in use (null when one is). */
    public synchronized String transformNote() {
        transform();
        return transformNote;
    }

    /** Whether searches need each face's mirrored chip embedded too (the transform reads flip-averaged vectors). */
    public boolean mirrorPass() {
        return transform().map(EmbeddingTransform::flipAverage).orElse(false);
    }

    /** The vector searches compare, from a face's raw vector and, when {@link #mirrorPass()}, its mirror's. */
    public float[] searchVector(float[] raw, float[] mirrored) {
        return transform().map(t -> t.applyToFace(raw, mirrored)).orElse(raw);
    }

    public synchronized FaceDetector detector() {
        if (detector == null) {
            detector = new MmodFaceDetector(open(DETECTOR), device, detectorMaxSide);
        }
        return detector;
    }

    public synchronized LandmarkPredictor landmarks() {
        if (landmarks == null) {
            landmarks = new ShapePredictor5(open(LANDMARKS));
        }
        return landmarks;
    }

    public synchronized FaceEmbedder embedder() {
        if (embedder == null) {
            embedder = new DlibFaceEmbedder(open(EMBEDDER), device);
        }
        return embedder;
    }

    /** The age estimator, when its package is installed; faces then carry no age rather than failing. */
    public synchronized Optional<AgeEstimator> ageEstimator() {
        if (ageEstimator == null) {
            ageEstimator = Files.isDirectory(dir.resolve(AGE)) ? Optional.of(new LinearAgeEstimator(open(AGE))) : Optional.empty();
        }
        return ageEstimator;
    }

    private ModelPackage open(String name) {
        return ModelPackage.open(dir.resolve(name));
    }

    @Override
    public synchronized void close() {
        for (Object model : new Object[] {detector, embedder}) {
            if (model instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    // shutting down: nothing left to do with a model that will not close
                }
            }
        }
    }
}
