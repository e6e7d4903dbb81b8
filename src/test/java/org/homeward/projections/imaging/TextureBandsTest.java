package org.homeward.projections.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TextureBandsTest {

    static final int SIZE = 64;

    @Test
    void theBandsAndTheCoarsestBlurAddUpToThePlane() {
        float[] plane = new float[SIZE * SIZE];
        for (int i = 0; i < plane.length; i++) {
            plane[i] = (float) (128 + 60 * Math.sin(i * 0.37) + (i % SIZE < SIZE / 2 ? 20 : -20));
        }
        float[][] bands = TextureBands.of(plane, SIZE);
        assertEquals(TextureBands.COUNT, bands.length);
        float[] coarsest = TextureBands.blur(plane, SIZE, 8);
        for (int i = 0; i < plane.length; i++) {
            float sum = coarsest[i];
            for (float[] band : bands) {
                sum += band[i];
            }
            assertEquals(plane[i], sum, 1e-3, "pixel " + i);
        }
    }

    @Test
    void fineDetailIsStrongInTheFineBandAndAFlatPlaneHasNone() {
        float[] flat = new float[SIZE * SIZE];
        Arrays.fill(flat, 100);
        float[] checks = new float[SIZE * SIZE];
        for (int i = 0; i < checks.length; i++) {
            checks[i] = ((i % SIZE + i / SIZE) % 2 == 0) ? 90 : 110;
        }
        float[][] none = TextureBands.strengths(TextureBands.of(flat, SIZE), SIZE, SIZE / 4);
        float[][] fine = TextureBands.strengths(TextureBands.of(checks, SIZE), SIZE, SIZE / 4);
        for (float[] band : none) {
            for (float v : band) {
                assertEquals(0, v, 1e-4);
            }
        }
        int centre = (SIZE / 8) * (SIZE / 4) + SIZE / 8;
        assertTrue(fine[0][centre] > 5, "a 1-pixel checkerboard is strong in the finest band: " + fine[0][centre]);
        assertTrue(fine[3][centre] < 0.5, "and weak in the coarsest: " + fine[3][centre]);
    }
}
