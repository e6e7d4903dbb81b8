package org.homeward.faces;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.homeward.models.ModelPackage;
import org.homeward.models.ModelsConfig;
import org.homeward.models.age.LinearAgeEstimator;
import org.homeward.models.dlib.DlibFaceEmbedder;
import org.homeward.models.dlib.MmodFaceDetector;
import org.homeward.models.dlib.ShapePredictor5;

/**
 * The models the face pipeline runs, opened from their packages on first use (so a web-only process
 * never loads libtorch) and shared by every thread. Plain Java: the app, the commands and the tests
 * build it the same way.
 */
public class ModelBundle implements AutoCloseable {

    public static final String DETECTOR = "dlib-face-detector-mmod";
    public static final String LANDMARKS = "dlib-shape-predictor-5";
    public static final String EMBEDDER = "dlib-face-embedder-v1";
    public static final String AGE = "homeward-age-estimator-v1";

    private final Path dir;
    private final ModelsConfig.Device device;
    private final int detectorMaxSide;

    private volatile FaceDetector detector;
    private volatile LandmarkPredictor landmarks;
    private volatile FaceEmbedder embedder;
    private volatile Optional<AgeEstimator> ageEstimator;

    public ModelBundle(Path dir, ModelsConfig.Device device, int detectorMaxSide) {
        this.dir = dir;
        this.device = device;
        this.detectorMaxSide = detectorMaxSide;
    }

    public static ModelBundle of(ModelsConfig config) {
        if (config.threads() > 0) {
            // Read by DJL when the engine first loads; on a shared host, fewer threads than cores
            // keeps the web role responsive while the worker runs.
            System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(config.threads()));
        }
        return new ModelBundle(config.dir(), config.device(), config.detectorMaxSide());
    }

    public Path dir() {
        return dir;
    }

    /**
     * The model id under which searchable vectors are stored and searched: the one every search, the
     * evidence calibration and the index use.
     */
    public String searchModelId() {
        return EMBEDDER;
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
