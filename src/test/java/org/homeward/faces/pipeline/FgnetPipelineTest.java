package org.homeward.faces.pipeline;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.homeward.models.Landmarks;
import org.homeward.photos.ImageDecoder;
import org.homeward.testing.Fgnet;
import org.homeward.testing.Scores;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The real pipeline (real weights) on the real FG-NET dev photos: faces are found, landmarks land where
 * the manual annotation puts them, and adults are told apart.
 */
@QuarkusTest
@Tag("shared-app")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FgnetPipelineTest {

    @Inject
    FacePipeline pipeline;

    /** The photo, and the face the pipeline found over its annotated nose (null when none was). */
    record Result(Fgnet.Photo photo, FoundFace face) {
    }

    private final List<Result> results = new ArrayList<>();

    @BeforeAll
    void runPipelineOnEveryPhoto() throws Exception {
        assumeTrue(Fgnet.present(), "FG-NET dev data absent");
        long start = System.nanoTime();
        for (Fgnet.Photo photo : Fgnet.photos()) {
            var image = ImageDecoder.decode(Files.readAllBytes(photo.path()), Long.MAX_VALUE).rgb();
            double[] nose = photo.points()[41];
            FoundFace match = pipeline.analyse(image).stream()
                    .filter(f -> f.box().left() <= nose[0] && nose[0] <= f.box().right()
                            && f.box().top() <= nose[1] && nose[1] <= f.box().bottom())
                    .findFirst().orElse(null);
            results.add(new Result(photo, match));
        }
        System.out.printf("FG-NET dev: %d photos through the pipeline in %.1f s%n", results.size(),
                (System.nanoTime() - start) / 1e9);
    }

    @Test
    void detectorFindsTheFaceOnAtLeast95PercentOfPhotos() {
        long found = results.stream().filter(r -> r.face() != null).count();
        double rate = (double) found / results.size();
        System.out.printf("FG-NET dev detection: %d / %d = %.1f%%%n", found, results.size(), 100 * rate);
        assertTrue(rate >= 0.95, "detection rate " + rate);
    }

    @Test
    void landmarksLandWithin10PercentOfInterOcularDistanceOnAtLeast90Percent() {
        int within = 0;
        int measured = 0;
        double sumError = 0;
        for (Result r : results) {
            if (r.face() == null) {
                continue;
            }
            double[][] truth = r.photo().dlibFive();
            Landmarks found = r.face().landmarks();
            double iod = r.photo().interOcular();
            double error = 0;
            for (int i = 0; i < Landmarks.COUNT; i++) {
                error += Math.hypot(found.x()[i] - truth[i][0], found.y()[i] - truth[i][1]);
            }
            double normalised = error / Landmarks.COUNT / iod;
            sumError += normalised;
            measured++;
            if (normalised <= 0.10) {
                within++;
            }
        }
        double share = (double) within / measured;
        System.out.printf("FG-NET dev landmarks: mean error %.3f of the inter-ocular distance; %d / %d = %.1f%% within 10%%%n",
                sumError / measured, within, measured, 100 * share);
        assertTrue(share >= 0.90, "share within 10% of IOD: " + share);
    }

    @Test
    void adultsOfTheSamePersonScoreAboveDifferentPeople() {
        List<Result> adults = results.stream()
                .filter(r -> r.photo().age() >= 18 && r.face() != null && r.face().embedding() != null).toList();
        List<Double> genuine = new ArrayList<>();
        List<Double> impostor = new ArrayList<>();
        for (int i = 0; i < adults.size(); i++) {
            for (int j = i + 1; j < adults.size(); j++) {
                double s = Scores.cosine(adults.get(i).face().embedding(), adults.get(j).face().embedding());
                (adults.get(i).photo().identity().equals(adults.get(j).photo().identity()) ? genuine : impostor).add(s);
            }
        }
        double auc = Scores.auc(genuine, impostor);
        System.out.printf("FG-NET dev adults (18+): %d faces, %d genuine and %d impostor pairs, AUC %.4f%n",
                adults.size(), genuine.size(), impostor.size(), auc);
        assertTrue(genuine.size() >= 20, "enough genuine adult pairs to judge: " + genuine.size());
        assertTrue(auc > 0.95, "adult AUC " + auc);
    }
}
