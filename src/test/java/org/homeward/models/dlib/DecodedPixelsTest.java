package org.homeward.models.dlib;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The app's ImageDecoder gives the very pixels dlib::load_image gave for the fixtures (so later differences are ours). */
class DecodedPixelsTest {

    static java.util.List<String> fixtures() {
        return DlibFixtures.names();
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void decodedRgbEqualsDlibs(String name) throws Exception {
        JsonNode fx = DlibFixtures.fixture(name);
        BufferedImage img = DlibFixtures.image(fx);
        assertEquals(fx.path("width").asInt(), img.getWidth());
        assertEquals(fx.path("height").asInt(), img.getHeight());
        int w = img.getWidth();
        int h = img.getHeight();
        int[] px = img.getRGB(0, 0, w, h, null, 0, w);
        byte[] bytes = new byte[w * h * 3];
        for (int i = 0; i < px.length; i++) {
            bytes[3 * i] = (byte) (px[i] >> 16);
            bytes[3 * i + 1] = (byte) (px[i] >> 8);
            bytes[3 * i + 2] = (byte) px[i];
        }
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        assertEquals(fx.path("decoded_rgb_sha256").asText(), sha, name + ": decoded pixels differ from dlib's");
    }
}
