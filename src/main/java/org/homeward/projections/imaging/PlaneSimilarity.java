package org.homeward.projections.imaging;

/**
 * A rotation, uniform scale and translation of the plane: p' = [a -b; b a] p + t. Fitted to point pairs by
 * least squares (Umeyama's closed form, no reflection); it takes a face from its photo into a
 * {@link ProjectionFrame} and back.
 */
public record PlaneSimilarity(double a, double b, double tx, double ty) {

    /** The similarity taking {@code from[i]} closest to {@code to[i]}; each array holds x0, y0, x1, y1, ... */
    public static PlaneSimilarity fit(double[] from, double[] to) {
        int n = from.length / 2;
        if (n < 2 || from.length != to.length) {
            throw new IllegalArgumentException("at least two point pairs are needed");
        }
        double mfx = 0;
        double mfy = 0;
        double mtx = 0;
        double mty = 0;
        for (int i = 0; i < n; i++) {
            mfx += from[2 * i];
            mfy += from[2 * i + 1];
            mtx += to[2 * i];
            mty += to[2 * i + 1];
        }
        mfx /= n;
        mfy /= n;
        mtx /= n;
        mty /= n;
        double sigma = 0;
        double p = 0;
        double q = 0;
        for (int i = 0; i < n; i++) {
            double fx = from[2 * i] - mfx;
            double fy = from[2 * i + 1] - mfy;
            double gx = to[2 * i] - mtx;
            double gy = to[2 * i + 1] - mty;
            sigma += fx * fx + fy * fy;
            p += gx * fx + gy * fy;
            q += gy * fx - gx * fy;
        }
        if (sigma == 0) {
            throw new IllegalArgumentException("the points all coincide");
        }
        double a = p / sigma;
        double b = q / sigma;
        return new PlaneSimilarity(a, b, mtx - (a * mfx - b * mfy), mty - (b * mfx + a * mfy));
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
