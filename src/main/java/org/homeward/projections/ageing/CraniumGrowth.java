package org.homeward.projections.ageing;

/**
 * The head's growth above the eyes, which the prototypes' 68 points do not reach (they stop at the brows). A child's
 * cranium is large for its face, and a face keeps looking young while it keeps that cranium, whatever happens below the
 * eyes. Head growth follows the cardioidal strain (Pittenger and Shaw 1975; Todd, Mark, Shaw and Pittenger 1980): about
 * a centre, a point at angle theta from the crown moves from radius R to R (1 + k (1 - cos theta)), so the crown stays
 * and the chin grows most. Seen with the eyes held still (the frame's alignment), the chin's distance from the eyes
 * grows by (1 + 2k) / (1 + k) and the crown's shrinks by 1 / (1 + k).
 * <p>
 * The prototypes measure the first: their mean shapes give the chin's growth between the two ages, which fixes k;
 * the same k then moves what lies above the eye line, where there are no points. Below the eye line nothing is
 * added (the mean shapes already move it). The {@code weight} scales k: 0 leaves the cranium as it is.
 */
final class CraniumGrowth {

    /** FG-NET's 68-point scheme: the chin's point on the jaw line, and the four eye corners. */
    static final int CHIN = 7;
    static final int[] EYE_CORNERS = {27, 29, 32, 34};
    /** The strains allowed: beyond these the chin ratios come from shapes that are not faces' growth. */
    private static final double MIN_STRAIN = -0.4;
    private static final double MAX_STRAIN = 0.6;
    /** The forehead arc: its radius in eye distances (the eye centres' distance), and its points' angles from straight up. */
    static final double ARC_RADIUS = 1.0;
    static final double[] ARC_ANGLES = {-75, -50, -25, 0, 25, 50, 75};

    private CraniumGrowth() {
    }

    /** The eye corners' centre of a shape (x, y): the centre the strain is taken about. */
    static double[] centre(double[] shape) {
        double x = 0;
        double y = 0;
        for (int i : EYE_CORNERS) {
            x += shape[2 * i] / EYE_CORNERS.length;
            y += shape[2 * i + 1] / EYE_CORNERS.length;
        }
        return new double[] {x, y};
    }

    /** The strain k that grows the chin's distance from the eyes as it grows from {@code source} to {@code target}, times {@code weight}. */
    static double strain(double[] source, double[] target, double weight) {
        double ratio = chinDistance(target) / chinDistance(source);
        // (1 + 2k) / (1 + k) = ratio
        double k = (ratio - 1) / (2 - Math.min(ratio, 1.9));
        return Math.max(MIN_STRAIN, Math.min(MAX_STRAIN, weight * k));
    }

    /**
     * Where the warp reads each of {@code anchors} (points of the output frame, x, y) so that the head above the eye line
     * takes the strain {@code k} about {@code centre}: an anchor at angle theta from straight up, above the eye line,
     * reads the photo at its radius divided by (1 + k (1 - cos theta)) / (1 + k); the others read where they are.
     */
    static double[] sourceAnchors(double[] anchors, double[] centre, double k) {
        double[] out = anchors.clone();
        for (int i = 0; i < anchors.length; i += 2) {
            double dx = anchors[i] - centre[0];
            double dy = anchors[i + 1] - centre[1];
            double r = Math.hypot(dx, dy);
            double cos = r == 0 ? 0 : -dy / r;
            if (cos > 0) {
                double grown = growth(k, cos);
                out[i] = centre[0] + dx / grown;
                out[i + 1] = centre[1] + dy / grown;
            }
        }
        return out;
    }

    /**
     * Points of the forehead and temples that the 68 points lack, as pairs for the warp: {@code [0]} where each lands
     * in the output, {@code [1]} where it is read in the photo. They lie on an arc about the eyes' centre of
     * {@code source}, at {@link #ARC_RADIUS} eye distances (about the hairline) and at {@link #ARC_ANGLES} degrees from
     * straight up, and the strain {@code k} moves them as it moves the head.
     */
    static double[][] foreheadPoints(double[] source, double k) {
        double[] c = centre(source);
        // the distance between the eye centres, each the midpoint of its two corners
        double eyes = Math.hypot(midpoint(source, 0, 0) - midpoint(source, 2, 0),
                midpoint(source, 0, 1) - midpoint(source, 2, 1));
        double[] out = new double[2 * ARC_ANGLES.length];
        double[] read = new double[2 * ARC_ANGLES.length];
        for (int i = 0; i < ARC_ANGLES.length; i++) {
            double theta = Math.toRadians(ARC_ANGLES[i]);
            double r = ARC_RADIUS * eyes;
            double grown = growth(k, Math.cos(theta));
            read[2 * i] = c[0] + r * Math.sin(theta);
            read[2 * i + 1] = c[1] - r * Math.cos(theta);
            out[2 * i] = c[0] + r * grown * Math.sin(theta);
            out[2 * i + 1] = c[1] - r * grown * Math.cos(theta);
        }
        return new double[][] {out, read};
    }

    /** How the strain k scales the radius of a point at angle theta from the crown, the eyes held: (1 + k (1 - cos theta)) / (1 + k). */
    private static double growth(double k, double cosTheta) {
        return (1 + k * (1 - cosTheta)) / (1 + k);
    }

    /** Coordinate {@code axis} (0: x, 1: y) of the midpoint of the eye corners {@code EYE_CORNERS[first]} and the next one. */
    private static double midpoint(double[] shape, int first, int axis) {
        return (shape[2 * EYE_CORNERS[first] + axis] + shape[2 * EYE_CORNERS[first + 1] + axis]) / 2;
    }

    private static double chinDistance(double[] shape) {
        double[] c = centre(shape);
        return Math.hypot(shape[2 * CHIN] - c[0], shape[2 * CHIN + 1] - c[1]);
    }
}
