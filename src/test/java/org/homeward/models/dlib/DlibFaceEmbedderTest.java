package org.homeward.models.dlib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.homeward.models.Landmarks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Chips are placed as dlib places them and give dlib's descriptors, one by one and batched. */
class DlibFaceEmbedderTest {

    static List<String> fixtures() {
        return DlibFixtures.names();
    }

    @Test
    void identity() {
        DlibFaceEmbedder e = DlibFixtures.embedder();
        assertEquals("dlib-face-embedder-v1", e.modelId());
        assertEquals(128, e.dimension());
        assertEquals(List.of(), e.embed(List.of()));
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void chipsAndDescriptorsEqualDlibs(String name) {
        JsonNode fx = DlibFixtures.fixture(name);
        BufferedImage img = DlibFixtures.image(fx);
        DlibFaceEmbedder e = DlibFixtures.embedder();
        List<JsonNode> faces = DlibFixtures.allFaces(fx);
        List<float[]> chips = new ArrayList<>();
        double maxRect = 0;
        for (JsonNode f : faces) {
            Landmarks lm = DlibFixtures.landmarks(f.path("landmarks"));
            FaceChip.Details d = e.chipDetails(lm);
            JsonNode ref = f.path("chip_details");
            double[] got = {d.left(), d.top(), d.right(), d.bottom()};
            for (int i = 0; i < 4; i++) {
                maxRect = Math.max(maxRect, Math.abs(got[i] - ref.path("rect").get(i).asDouble()));
            }
            maxRect = Math.max(maxRect, Math.abs(d.angle() - ref.path("angle").asDouble()));
            assertEquals(ref.path("rows").asInt(), d.rows());
            assertEquals(ref.path("cols").asInt(), d.cols());
            chips.add(e.chip(img, lm));
        }
        assertTrue(maxRect < 1e-9, name + ": chip rectangle/angle differ from dlib's by " + maxRect);
        if (faces.isEmpty()) {
            return;
        }
        List<float[]> batched = e.embed(chips);
        double maxDiff = 0;
        double maxBatchVsSingle = 0;
        for (int i = 0; i < faces.size(); i++) {
            float[] expected = DlibFixtures.floats(faces.get(i).path("descriptor"));
            float[] single = e.embed(List.of(chips.get(i))).get(0);
            assertEquals(128, single.length);
            for (int k = 0; k < 128; k++) {
                maxDiff = Math.max(maxDiff, Math.abs(single[k] - expected[k]));
                maxDiff = Math.max(maxDiff, Math.abs(batched.get(i)[k] - expected[k]));
                maxBatchVsSingle = Math.max(maxBatchVsSingle, Math.abs(batched.get(i)[k] - single[k]));
            }
        }
        System.out.printf("dlib %s: %d chips, rect/angle max |diff| %.3g, descriptor max |diff| vs dlib %.3g, "
                + "batch vs single %.3g%n", name, faces.size(), maxRect, maxDiff, maxBatchVsSingle);
        assertTrue(maxDiff < 1e-4, name + ": descriptors differ from dlib's by " + maxDiff);
    }

    @Test
    void chipIsChwRawValues() {
        BufferedImage img = new BufferedImage(300, 300, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 300; y++) {
            for (int x = 0; x < 300; x++) {
                img.setRGB(x, y, 200 << 16 | 100 << 8 | 50);
            }
        }
        // landmarks of an upright face about 100 px wide in the middle
        Landmarks lm = new Landmarks(new double[] {190, 168, 110, 132, 150}, new double[] {130, 131, 130, 131, 170});
        float[] chip = DlibFixtures.embedder().chip(img, lm);
        assertEquals(3 * 150 * 150, chip.length);
        int centre = 75 * 150 + 75;
        assertEquals(200f, chip[centre]);
        assertEquals(100f, chip[150 * 150 + centre]);
        assertEquals(50f, chip[2 * 150 * 150 + centre]);
    }
}
