package org.homeward.projections.imaging;

import java.util.Arrays;
import org.homeward.models.dlib.SimilarityTransform;

/**
 * A rotation, uniform scale and translation of the plane: p' = [a -b; b a] p + t. Fitted to point pairs by
 * least squares (Umeyama's closed form, no reflection: dlib's own fit, {@link SimilarityTransform}); it takes a
 * face from its photo into a {@link ProjectionFrame} and back.
 */
public record PlaneSimilarity(double a, double b, double tx, double ty) {

    /** The similarity taking {@code from[i]} closest to {@code to[i]}; each array holds x0, y0, x1, y1, ... */
    public static PlaneSimilarity fit(double[] from, double[] to) {
        int n = from.length / 2;
        if (n < 2 || from.length != to.length) {
            throw new IllegalArgumentException("at least two point pairs are needed");
        }
        double[][] f = coordinates(from);
        double[][] t = coordinates(to);
        if (Arrays.stream(f[0]).distinct().count() == 1 && Arrays.stream(f[1]).distinct().count() == 1) {
            throw new IllegalArgumentException("the points all coincide");
        }
        SimilarityTransform s = SimilarityTransform.fit(f[0], f[1], t[0], t[1]);
        return new PlaneSimilarity(s.a00(), s.a10(), s.tx(), s.ty());
    }

    /** x0, y0, x1, y1, ... as {xs, ys}. */
    private static double[][] coordinates(double[] points) {
        double[][] out = new double[2][points.length / 2];
        for (int i = 0; i < points.length / 2; i++) {
            out[0][i] = points[2 * i];
            out[1][i] = points[2 * i + 1];
        }
        return out;
    }

    public double x(double x, double y) {
        return a * x - b * y + tx;
    }

    public double y(double x, double y) {
        return b * x + a * y + ty;
    }

    /** Every point of x0, y0, x1, y1, ... mapped. */
    public double[] apply(double[] points) {
        double[] out = new double[points.length];
        for (int i = 0; i < points.length; i += 2) {
            out[i] = x(points[i], points[i + 1]);
            out[i + 1] = y(points[i], points[i + 1]);
        }
        return out;
    }

    /** How much lengths grow. */
    public double scale() {
        return Math.hypot(a, b);
    }

    public PlaneSimilarity inverse() {
        double d = a * a + b * b;
        double ia = a / d;
        double ib = -b / d;
        return new PlaneSimilarity(ia, ib, -(ia * tx - ib * ty), -(ib * tx + ia * ty));
    }
}
