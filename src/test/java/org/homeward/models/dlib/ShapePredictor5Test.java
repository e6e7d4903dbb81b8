package org.homeward.models.dlib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.util.List;
import org.homeward.models.Landmarks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The 5-point shape predictor puts every landmark on dlib's pixel, on the detected faces and on moved boxes. */
class ShapePredictor5Test {

    static List<String> fixtures() {
        return DlibFixtures.names();
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void landmarksEqualDlibs(String name) {
        JsonNode fx = DlibFixtures.fixture(name);
        BufferedImage img = DlibFixtures.image(fx);
        ShapePredictor5 sp = DlibFixtures.predictor();
        assertEquals(15, sp.cascadeCount());
        int n = 0;
        for (JsonNode f : DlibFixtures.allFaces(fx)) {
            Landmarks expected = DlibFixtures.landmarks(f.path("landmarks"));
            Landmarks actual = sp.predict(img, DlibFixtures.box(f.path("box"), 0f));
            String what = name + " box " + f.path("box");
            assertArrayEquals(expected.x(), actual.x(), 0, what + " x");
            assertArrayEquals(expected.y(), actual.y(), 0, what + " y");
            n++;
        }
        System.out.printf("dlib %s: %d landmark sets equal dlib's%n", name, n);
    }
}
