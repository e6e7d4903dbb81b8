package org.homeward.models.dlib;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.stream.Stream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The tiled pyramid's layout equals dlib's, and its content is the image, the background and bilinear levels. */
class TiledPyramidTest {

    private static final float[] MEAN = {122.782f, 117.001f, 104.298f};

    static List<String> fixtures() {
        return DlibFixtures.names();
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void levelRectanglesAndSizeEqualDlibs(String name) {
        JsonNode fx = DlibFixtures.fixture(name);
        TiledPyramid.Layout layout = TiledPyramid.layout(fx.path("height").asInt(), fx.path("width").asInt(), 10, 11);
        List<List<Integer>> expected = new ArrayList<>();
        for (JsonNode r : fx.path("detector").path("pyramid_rects")) {
            expected.add(List.of(r.get(0).asInt(), r.get(1).asInt(), r.get(2).asInt(), r.get(3).asInt()));
        }
        List<List<Integer>> actual = new ArrayList<>();
        for (TiledPyramid.Rect r : layout.levels()) {
            actual.add(List.of(r.left(), r.top(), r.right(), r.bottom()));
        }
        assertEquals(expected, actual, name);
        JsonNode shape = fx.path("detector").path("tiled_shape");
        assertEquals(shape.get(1).asInt(), layout.rows(), name + " rows");
        assertEquals(shape.get(2).asInt(), layout.cols(), name + " cols");
    }

    /**
     * sha256 of the whole tiled pyramid (float32 little-endian, CHW) as deploy/models/dlib_port.py builds it; that
     * port is bit-identical to dlib's own tensor (verify_dlib.py), so equal hashes mean every float equals dlib's.
     */
    static Stream<Arguments> pyramidHashes() {
        return Stream.of(
                Arguments.of("astronaut.json", "072a6dfdbd20c775ce9cd7b28c1f486680f114c23931e6c61f5ba997226fe2cd"),
                Arguments.of("grace_hopper.json", "af046e350451d8c3a4fa5456dbe968e009b2ce254e98730f6fe226f97aff8945"),
                Arguments.of("camera.json", "150bf6ceb7d0a6675e7f9897e4794ad6729a62759c7bf6a2a580f67c41ff5fc2"),
                Arguments.of("coffee.json", "b2cf92e3480a3956c838e056ed3419e9983b5f3d5152172151b954f41f7308cb"));
    }

    @ParameterizedTest
    @MethodSource("pyramidHashes")
    void contentIsBitIdenticalToTheReferencePort(String name, String sha256) throws Exception {
        BufferedImage img = DlibFixtures.image(DlibFixtures.fixture(name));
        float[] d = TiledPyramid.build(img, 10, 11, MEAN).data();
        ByteBuffer bytes = ByteBuffer.allocate(4 * d.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(d);
        assertEquals(sha256, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array())), name);
    }

    @Test
    void contentIsImageThenBackgroundThenLevels() {
        BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                img.setRGB(x, y, (x * 6) << 16 | (y * 8) << 8 | 77);
            }
        }
        TiledPyramid p = TiledPyramid.build(img, 10, 11, MEAN);
        float[] d = p.data();
        int plane = p.rows() * p.cols();
        TiledPyramid.Rect r0 = p.levels().get(0);
        assertEquals(3 * 6f, d[(r0.top() + 5) * p.cols() + r0.left() + 3]);
        assertEquals(5 * 8f, d[plane + (r0.top() + 5) * p.cols() + r0.left() + 3]);
        assertEquals(77f, d[2 * plane + (r0.top() + 5) * p.cols() + r0.left() + 3]);
        assertEquals(MEAN[0], d[0]);
        assertEquals(MEAN[2], d[2 * plane + plane - 1]);
        // corners are aligned: each level's corners equal the level above's corners, and a constant channel stays constant
        for (int i = 1; i < p.levels().size(); i++) {
            TiledPyramid.Rect a = p.levels().get(i - 1);
            TiledPyramid.Rect b = p.levels().get(i);
            assertEquals(d[a.top() * p.cols() + a.left()], d[b.top() * p.cols() + b.left()], 1e-4);
            assertEquals(d[plane + a.bottom() * p.cols() + a.right()], d[plane + b.bottom() * p.cols() + b.right()], 1e-3);
            assertEquals(77f, d[2 * plane + (b.top() + 1) * p.cols() + b.left() + 1], 1e-4);
        }
    }

    @Test
    void pointUpInvertsTheLevelScale() {
        double[] p = TiledPyramid.pointUp(10, 20, 2);
        assertEquals((10 * 1.2 + 0.3) * 1.2 + 0.3, p[0], 0);
        assertEquals((20 * 1.2 + 0.3) * 1.2 + 0.3, p[1], 0);
    }
}
