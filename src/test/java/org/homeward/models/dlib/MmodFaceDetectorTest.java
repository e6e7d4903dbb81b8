package org.homeward.models.dlib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.util.List;
import org.homeward.models.FaceBox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The MMOD detector gives dlib's score map, boxes (exact) and scores on the reference photos. */
class MmodFaceDetectorTest {

    static List<String> fixtures() {
        return DlibFixtures.names();
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void scoreMapEqualsDlibs(String name) {
        JsonNode fx = DlibFixtures.fixture(name);
        BufferedImage img = DlibFixtures.image(fx);
        MmodFaceDetector.ScoreMap map = DlibFixtures.detector().scores(img);
        JsonNode det = fx.path("detector");
        assertEquals(det.path("tiled_shape").get(1).asInt(), map.pyramid().rows());
        assertEquals(det.path("tiled_shape").get(2).asInt(), map.pyramid().cols());
        assertEquals(det.path("score_shape").get(1).asInt(), map.rows(), name + " score rows");
        assertEquals(det.path("score_shape").get(2).asInt(), map.cols(), name + " score cols");
        double maxDiff = 0;
        for (JsonNode t : det.path("top_scores")) {
            double diff = Math.abs(map.at(t.path("row").asInt(), t.path("col").asInt()) - t.path("score").asDouble());
            maxDiff = Math.max(maxDiff, diff);
        }
        System.out.printf("dlib %s: top scores max |diff| vs dlib = %.3g%n", name, maxDiff);
        assertTrue(maxDiff < 1e-4, name + ": top scores differ from dlib's by " + maxDiff);
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void boxesAndScoresEqualDlibs(String name) {
        JsonNode fx = DlibFixtures.fixture(name);
        BufferedImage img = DlibFixtures.image(fx);
        List<FaceBox> boxes = DlibFixtures.detector().detect(img);
        JsonNode faces = fx.path("faces");
        assertEquals(faces.size(), boxes.size(), name + ": " + boxes);
        for (int i = 0; i < faces.size(); i++) {
            JsonNode f = faces.get(i);
            FaceBox expected = DlibFixtures.box(f.path("box"), (float) f.path("score").asDouble());
            FaceBox actual = boxes.get(i);
            assertEquals(List.of(expected.left(), expected.top(), expected.right(), expected.bottom()),
                    List.of(actual.left(), actual.top(), actual.right(), actual.bottom()), name + " face " + i);
            double diff = Math.abs(actual.score() - f.path("score").asDouble());
            System.out.printf("dlib %s: face %d box %s score |diff| vs dlib = %.3g%n", name, i, actual, diff);
            assertTrue(diff < 1e-4, name + ": score differs by " + diff);
        }
    }

    @Test
    void coffeeHasNoFace() {
        BufferedImage img = DlibFixtures.image(DlibFixtures.fixture("coffee.json"));
        assertEquals(List.of(), DlibFixtures.detector().detect(img));
    }

    @Test
    void overlapIsDlibsTestBoxOverlap() {
        NonMaxSuppression nms = new NonMaxSuppression(0.3382761351109955, 1.0);
        FaceBox a = new FaceBox(0, 0, 99, 99, 1f);
        // inner 50x100 = 5000, outer (smallest box holding both) 150x100 = 15000: 0.333 < 0.338, kept
        assertTrue(!nms.overlaps(a, new FaceBox(50, 0, 149, 99, 0.5f)));
        // inner 60x100 = 6000, outer 140x100: 0.43 > 0.338, suppressed
        assertTrue(nms.overlaps(a, new FaceBox(40, 0, 139, 99, 0.5f)));
        List<FaceBox> kept = nms.apply(List.of(new FaceBox(40, 0, 139, 99, 0.5f), a, new FaceBox(300, 0, 399, 99, 0.7f)));
        assertEquals(List.of(a, new FaceBox(300, 0, 399, 99, 0.7f)), kept);
    }

    @Test
    void maxSideShrinksLargeImagesAndScalesBoxesBack() {
        JsonNode fx = DlibFixtures.fixture("grace_hopper.json");
        BufferedImage img = DlibFixtures.image(fx);
        try (MmodFaceDetector guarded = new MmodFaceDetector(DlibFixtures.pkg(DlibFixtures.DETECTOR),
                org.homeward.models.ModelsConfig.Device.cpu, 400)) {
            List<FaceBox> boxes = guarded.detect(img);
            assertEquals(1, boxes.size(), boxes.toString());
            FaceBox b = boxes.get(0);
            FaceBox ref = DlibFixtures.box(fx.path("faces").get(0).path("box"), 0f);
            // same face in full-size coordinates; MMOD boxes snap to the 8-cell grid of the level the face fell on,
            // so at another scale they move by up to a few cells: ask for a clear overlap, not equality
            assertTrue(iou(b, ref) > 0.6, b + " vs " + ref + ": IoU " + iou(b, ref));
        }
    }

    private static double iou(FaceBox a, FaceBox b) {
        double iw = Math.min(a.right(), b.right()) - Math.max(a.left(), b.left()) + 1;
        double ih = Math.min(a.bottom(), b.bottom()) - Math.max(a.top(), b.top()) + 1;
        if (iw <= 0 || ih <= 0) {
            return 0;
        }
        double inter = iw * ih;
        return inter / ((double) a.width() * a.height() + (double) b.width() * b.height() - inter);
    }
}
