package org.homeward.projections.ageing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.homeward.models.Landmarks;
import org.junit.jupiter.api.Test;

/**
 * The head above the eyes grows by the cardioidal strain whose k the mean shapes' chin growth fixes: the crown comes
 * nearer the eyes, what lies below the eye line is left to the mean shapes, and a projection's forehead shortens.
 */
class CraniumGrowthTest {

    /** A 68-point shape with only the eye corners and the chin placed: eyes 100 apart about (250, 200), chin below. */
    private static double[] shape(double chinBelowEyes) {
        double[] s = new double[136];
        set(s, 27, 180, 200);
        set(s, 29, 220, 200);
        set(s, 32, 320, 200);
        set(s, 34, 280, 200);
        set(s, CraniumGrowth.CHIN, 250, 200 + chinBelowEyes);
        return s;
    }

    private static void set(double[] s, int i, double x, double y) {
        s[2 * i] = x;
        s[2 * i + 1] = y;
    }

    @Test
    void theStrainIsTheOneThatGrowsTheChinAsTheMeanShapesDo() {
        double k = CraniumGrowth.strain(shape(150), shape(180), 1);
        assertEquals(1.2, (1 + 2 * k) / (1 + k), 1e-9, "the chin's growth (1 + 2k) / (1 + k)");
        assertEquals(0.25, k, 1e-9);
        assertEquals(0, CraniumGrowth.strain(shape(150), shape(180), 0), "weight 0: the cranium as it is");
        assertEquals(0.5, CraniumGrowth.strain(shape(150), shape(180), 2), 1e-9, "the weight scales k");
        assertTrue(CraniumGrowth.strain(shape(180), shape(150), 1) < 0, "towards a younger age the cranium grows");
    }

    @Test
    void theCrownIsReadFurtherOutAndNothingBelowTheEyesMoves() {
        double[] centre = {250, 200};
        double k = 0.25;
        double[] anchors = {250, 0, 50, 200, 450, 200, 250, 500, 50, 0};
        double[] read = CraniumGrowth.sourceAnchors(anchors, centre, k);
        // straight up: radius 200 is read at 200 (1 + k), so the output's crown shows what lay further out
        assertEquals(250, read[0], 1e-9);
        assertEquals(200 - 200 * (1 + k), read[1], 1e-9);
        // at the eye line and below: read where they are
        for (int i = 2; i < 8; i++) {
            assertEquals(anchors[i], read[i], 1e-9, "coordinate " + i);
        }
        // 45 degrees up: between the two
        double grown = (1 + k * (1 - Math.cos(Math.PI / 4))) / (1 + k);
        assertEquals(250 - 200 / grown, read[8], 1e-9);
        assertEquals(200 - 200 / grown, read[9], 1e-9);
        assertEquals(anchors.length, CraniumGrowth.sourceAnchors(anchors, centre, 0).length);
    }

    @Test
    void theForeheadArcComesDownAtTheCrownAndStaysAtTheTemples() {
        double k = 0.25;
        double[][] pairs = CraniumGrowth.foreheadPoints(shape(150), k);
        int crown = 3;
        assertEquals(0, CraniumGrowth.ARC_ANGLES[crown]);
        // eyes 100 apart: the arc is read at 100 above the eyes' centre and lands at 100 / (1 + k)
        assertEquals(200 - 100, pairs[1][2 * crown + 1], 1e-9);
        assertEquals(200 - 100 / (1 + k), pairs[0][2 * crown + 1], 1e-9);
        for (int i = 0; i < CraniumGrowth.ARC_ANGLES.length; i++) {
            double landed = Math.hypot(pairs[0][2 * i] - 250, pairs[0][2 * i + 1] - 200);
            double read = Math.hypot(pairs[1][2 * i] - 250, pairs[1][2 * i + 1] - 200);
            assertTrue(landed < read, "point " + i + " comes nearer the eyes");
            assertTrue(landed / read >= 1 / (1 + k) - 1e-9, "the crown moves most");
        }
    }

    @Test
    void aProjectionWithTheCraniumShortensTheForehead() {
        PrototypeProjector plain = PrototypePackage.open(Path.of("deploy", "models", "packages", PrototypePackage.NAME));
        PrototypeProjector cranium = plain.withCranium(1);
        // A grey face: eyes 60 px apart at y 200, a dark line across the forehead 60 px above them.
        BufferedImage photo = new BufferedImage(400, 400, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = photo.createGraphics();
        g.setColor(new Color(150, 150, 150));
        g.fillRect(0, 0, 400, 400);
        g.setColor(Color.BLACK);
        g.fillRect(120, 138, 160, 4);
        g.dispose();
        Landmarks five = Landmarks.of(new double[] {245, 200, 220, 200, 155, 200, 180, 200, 200, 240});
        int before = lineRow(plain.project(photo, five, 4, List.of(25.0)).get(0).image());
        int after = lineRow(cranium.project(photo, five, 4, List.of(25.0)).get(0).image());
        int eyes = lineRow(plain.project(photo, five, 4, List.of(4.0)).get(0).image());
        assertTrue(after > before + 5, "the forehead line moves towards the eyes: row " + before + " -> " + after
                + " (at the photo's own age " + eyes + ")");
    }

    /** The darkest row of the frame's middle column above its centre: where the forehead line is drawn. */
    private static int lineRow(BufferedImage frame) {
        int x = frame.getWidth() / 2;
        int best = -1;
        int darkest = Integer.MAX_VALUE;
        for (int y = 0; y < frame.getHeight() / 2; y++) {
            int v = frame.getRGB(x, y) & 0xff;
            if (v < darkest) {
                darkest = v;
                best = y;
            }
        }
        return best;
    }
}
