package org.homeward.models.dlib;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import org.homeward.faces.ModelSelfTest;
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
        String sha = ModelSelfTest.rgbSha256(img);
        assertEquals(fx.path("decoded_rgb_sha256").asText(), sha, name + ": decoded pixels differ from dlib's");
    }
}
