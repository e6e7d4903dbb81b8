package org.homeward.projections.imaging;

/**
 * A thin-plate spline from the plane to the plane (Bookstein 1989): the smoothest map, in bending energy,
 * that takes each control point to its target. Used as a warp: {@link #x}/{@link #y} give where a pixel of
 * the output reads from. A small {@code regularisation} lets it pass near rather than through noisy points.
 */
public final class ThinPlateSpline {

    private final double[] cx;
    private final double[] cy;
    /** Weights per control point, then the affine part (1, x, y), for each output coordinate. */
    private final double[] wx;
    private final double[] wy;
    /** Control coordinates are divided by this, so the kernel's values stay near 1 and the system well conditioned. */
    private final double unit;

    /** Control points {@code from} (x0, y0, ...) mapped onto {@code to}. */
    public ThinPlateSpline(double[] from, double[] to, double regularisation) {
        int n = from.length / 2;
        if (from.length != to.length || n < 3) {
            throw new IllegalArgumentException("at least three control point pairs are needed");
        }
        double extent = 0;
        for (double v : from) {
            extent = Math.max(extent, Math.abs(v));
        }
        unit = extent == 0 ? 1 : extent;
        cx = new double[n];
        cy = new double[n];
        for (int i = 0; i < n; i++) {
            cx[i] = from[2 * i] / unit;
            cy[i] = from[2 * i + 1] / unit;
        }
        int m = n + 3;
        double[][] a = new double[m][m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i][j] = i == j ? regularisation : kernel(cx[i] - cx[j], cy[i] - cy[j]);
            }
            a[i][n] = 1;
            a[i][n + 1] = cx[i];
            a[i][n + 2] = cy[i];
            a[n][i] = 1;
            a[n + 1][i] = cx[i];
            a[n + 2][i] = cy[i];
        }
        double[] bx = new double[m];
        double[] by = new double[m];
        for (int i = 0; i < n; i++) {
            bx[i] = to[2 * i];
            by[i] = to[2 * i + 1];
        }
        double[][] solved = solve(a, bx, by);
        wx = solved[0];
        wy = solved[1];
    }

    public double x(double x, double y) {
        return eval(wx, x, y);
    }

    public double y(double x, double y) {
        return eval(wy, x, y);
    }

    private double eval(double[] w, double px, double py) {
        double x = px / unit;
        double y = py / unit;
        int n = cx.length;
        double s = w[n] + w[n + 1] * x + w[n + 2] * y;
        for (int i = 0; i < n; i++) {
            s += w[i] * kernel(x - cx[i], y - cy[i]);
        }
        return s;
    }

    /** U(r) = r^2 log r^2 (the factor 1/2 is absorbed into the weights). */
    private static double kernel(double dx, double dy) {
        double r2 = dx * dx + dy * dy;
        return r2 == 0 ? 0 : r2 * Math.log(r2);
    }

    /** Gaussian elimination with partial pivoting, for two right-hand sides at once. */
    private static double[][] solve(double[][] a, double[] b1, double[] b2) {
        int m = b1.length;
        for (int col = 0; col < m; col++) {
            int pivot = col;
            for (int r = col + 1; r < m; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            if (Math.abs(a[pivot][col]) < 1e-12) {
                throw new IllegalArgumentException("the control points are degenerate (repeated or all on a line)");
            }
            double[] t = a[col];
            a[col] = a[pivot];
            a[pivot] = t;
            double s = b1[col];
            b1[col] = b1[pivot];
            b1[pivot] = s;
            s = b2[col];
            b2[col] = b2[pivot];
            b2[pivot] = s;
            for (int r = col + 1; r < m; r++) {
                double f = a[r][col] / a[col][col];
                if (f == 0) {
                    continue;
                }
                for (int k = col; k < m; k++) {
                    a[r][k] -= f * a[col][k];
                }
                b1[r] -= f * b1[col];
                b2[r] -= f * b2[col];
            }
        }
        double[] x1 = new double[m];
        double[] x2 = new double[m];
        for (int r = m - 1; r >= 0; r--) {
            double s1 = b1[r];
            double s2 = b2[r];
            for (int k = r + 1; k < m; k++) {
                s1 -= a[r][k] * x1[k];
                s2 -= a[r][k] * x2[k];
            }
            x1[r] = s1 / a[r][r];
            x2[r] = s2 / a[r][r];
        }
        return new double[][] {x1, x2};
    }
}
