package org.homeward.models.dlib;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.homeward.models.Landmarks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Large faces: the chip goes through dlib's pyramid_down&lt;2&gt; first (the fixtures' faces are too small for it).
 * The photo is enlarged by pixel replication, which numpy does identically, and the chip compared with
 * deploy/models/dlib_port.py's (checked against dlib's C++ by verify_dlib.py, including two-level chips).
 */
class FaceChipTest {

    @ParameterizedTest
    @CsvSource({
        "2, 1, 3290e94426c039f9e17b6907ddcb9b8b7b13b6da6dfc1ae6d0d161a9a2ddef88",
        "3, 2, b425ad6d70fa4420436ef7ca43885ee1a844a4910e0680b384f0bfeef669ef01"})
    void largeFaceChipEqualsReference(int factor, int depth, String sha256) throws Exception {
        JsonNode fx = DlibFixtures.fixture("grace_hopper.json");
        BufferedImage img = DlibFixtures.image(fx);
        BufferedImage big = new BufferedImage(img.getWidth() * factor, img.getHeight() * factor, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < big.getHeight(); y++) {
            for (int x = 0; x < big.getWidth(); x++) {
                big.setRGB(x, y, img.getRGB(x / factor, y / factor));
            }
        }
        Landmarks lm = DlibFixtures.landmarks(fx.path("faces").get(0).path("landmarks"));
        double[] x = lm.x().clone();
        double[] y = lm.y().clone();
        for (int i = 0; i < x.length; i++) {
            x[i] = factor * x[i] + 1;
            y[i] = factor * y[i] + 1;
        }
        FaceChip.Details d = FaceChip.details(new Landmarks(x, y), FaceChip.TEMPLATE_UNIT, 150, 0.25);
        assertEquals(depth, pyramidDepth(d));
        int[] chip = FaceChip.extract(big, d);
        byte[] bytes = new byte[chip.length * 3];
        for (int i = 0; i < chip.length; i++) {
            bytes[3 * i] = (byte) (chip[i] >> 16);
            bytes[3 * i + 1] = (byte) (chip[i] >> 8);
            bytes[3 * i + 2] = (byte) chip[i];
        }
        assertEquals(sha256, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
    }

    /** dlib's test for how many pyramid_down&lt;2&gt; levels the chip needs (size-only, so written out here). */
    private static int pyramidDepth(FaceChip.Details d) {
        double w = d.right() - d.left();
        double h = d.bottom() - d.top();
        int depth = 0;
        w /= 2;
        h /= 2;
        while ((w + 1) * (h + 1) > (double) d.rows() * d.cols()) {
            w /= 2;
            h /= 2;
            depth++;
        }
        return depth;
    }
}
