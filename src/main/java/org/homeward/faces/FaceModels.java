package org.homeward.faces;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.util.Optional;
import org.homeward.models.ModelPackage;
import org.homeward.models.ModelsConfig;

import org.homeward.models.dlib.DlibFaceEmbedder;
import org.homeward.models.dlib.MmodFaceDetector;
import org.homeward.models.dlib.ShapePredictor5;

/**
 * The models the face pipeline runs, opened from their packages on first use (so a web-only process
 * never loads libtorch) and shared by every thread.
 */
@ApplicationScoped
public class FaceModels {

    public static final String DETECTOR = "dlib-face-detector-mmod";
    public static final String LANDMARKS = "dlib-shape-predictor-5";
    public static final String EMBEDDER = "dlib-face-embedder-v1";
    public static final String AGE = "homeward-age-estimator-v1";

    @Inject
    ModelsConfig config;

    private volatile FaceDetector detector;
    private volatile LandmarkPredictor landmarks;
    private volatile FaceEmbedder embedder;
    private volatile Optional<AgeEstimator> ageEstimator;

    public FaceDetector detector() {
        if (detector == null) {
            synchronized (this) {
                if (detector == null) {
                    detector = new MmodFaceDetector(open(DETECTOR), config.device(), config.detectorMaxSide());
                }
            }
        }
        return detector;
    }

    public LandmarkPredictor landmarks() {
        if (landmarks == null) {
            synchronized (this) {
                if (landmarks == null) {
                    landmarks = new ShapePredictor5(open(LANDMARKS));
                }
            }
        }
        return landmarks;
    }

    public FaceEmbedder embedder() {
        if (embedder == null) {
            synchronized (this) {
                if (embedder == null) {
                    embedder = new DlibFaceEmbedder(open(EMBEDDER), config.device());
                }
            }
        }
        return embedder;
    }

    /** The age estimator, when its package is installed; faces then carry no age rather than failing. */
    public Optional<AgeEstimator> ageEstimator() {
        if (ageEstimator == null) {
            synchronized (this) {
                if (ageEstimator == null) {
                    ageEstimator = Files.isDirectory(config.dir().resolve(AGE))
                            ? Optional.<AgeEstimator>empty()
                            : Optional.empty();
                }
            }
        }
        return ageEstimator;
    }

    @PreDestroy
    void close() {
        if (detector instanceof AutoCloseable c) {
            closeQuietly(c);
        }
        if (embedder instanceof AutoCloseable c) {
            closeQuietly(c);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // shutting down: nothing left to do with a model that will not close
        }
    }

    private ModelPackage open(String name) {
        return ModelPackage.open(config.dir().resolve(name));
    }
}
