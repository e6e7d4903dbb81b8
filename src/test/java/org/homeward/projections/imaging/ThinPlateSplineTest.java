package org.homeward.projections.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The warp passes through its control points and keeps an affine map affine. */
class ThinPlateSplineTest {

    @Test
    void passesThroughEveryControlPoint() {
        double[] from = {10, 10, 200, 15, 100, 120, 30, 220, 210, 230, 120, 60};
        double[] to = {12, 9, 195, 20, 110, 125, 28, 225, 215, 228, 118, 70};
        ThinPlateSpline t = new ThinPlateSpline(from, to, 0);
        for (int i = 0; i < from.length; i += 2) {
            assertEquals(to[i], t.x(from[i], from[i + 1]), 1e-6);
            assertEquals(to[i + 1], t.y(from[i], from[i + 1]), 1e-6);
        }
    }

    @Test
    void anAffineMapStaysExactlyAffine() {
        double[] from = {0, 0, 100, 0, 0, 100, 100, 100, 50, 30, 20, 80};
        double[] to = new double[from.length];
        for (int i = 0; i < from.length; i += 2) {
            to[i] = 1.1 * from[i] - 0.2 * from[i + 1] + 5;
            to[i + 1] = 0.3 * from[i] + 0.9 * from[i + 1] - 7;
        }
        ThinPlateSpline t = new ThinPlateSpline(from, to, 0);
        assertEquals(1.1 * 77 - 0.2 * 13 + 5, t.x(77, 13), 1e-6);
        assertEquals(0.3 * 77 + 0.9 * 13 - 7, t.y(77, 13), 1e-6);
    }

    @Test
    void refusesRepeatedPoints() {
        assertThrows(IllegalArgumentException.class,
                () -> new ThinPlateSpline(new double[] {1, 1, 1, 1, 1, 1}, new double[] {0, 0, 1, 1, 2, 2}, 0));
    }
}
