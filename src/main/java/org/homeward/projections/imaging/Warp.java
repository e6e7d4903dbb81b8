package org.homeward.projections.imaging;

/**
 * A dense backward map for an output image: for each output pixel, the point it reads from. The spline is
 * evaluated on a grid every {@link #STEP} pixels and interpolated between, which keeps a 256 x 256 warp to a
 * few milliseconds; the spline is smooth at that scale, so the difference is far below a pixel.
 */
public final class Warp {

    static final int STEP = 4;

    private final int width;
    private final int height;
    private final int gw;
    private final double[] gx;
    private final double[] gy;

    private Warp(int width, int height, int gw, double[] gx, double[] gy) {
        this.width = width;
        this.height = height;
        this.gw = gw;
        this.gx = gx;
        this.gy = gy;
    }

    /** The map of {@code tps} (output point to source point) over a width x height output. */
    public static Warp of(int width, int height, ThinPlateSpline tps) {
        int gw = (width - 1) / STEP + 2;
        int gh = (height - 1) / STEP + 2;
        double[] gx = new double[gw * gh];
        double[] gy = new double[gw * gh];
        for (int j = 0; j < gh; j++) {
            for (int i = 0; i < gw; i++) {
                double x = i * STEP;
                double y = j * STEP;
                gx[j * gw + i] = tps.x(x, y);
                gy[j * gw + i] = tps.y(x, y);
            }
        }
        return new Warp(width, height, gw, gx, gy);
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    /** Where output pixel (x, y) reads from, into {@code out} (x, y). */
    public void at(int x, int y, double[] out) {
        int i = x / STEP;
        int j = y / STEP;
        double fx = (x - i * STEP) / (double) STEP;
        double fy = (y - j * STEP) / (double) STEP;
        int k = j * gw + i;
        out[0] = lerp(gx, k, fx, fy);
        out[1] = lerp(gy, k, fx, fy);
    }

    private double lerp(double[] g, int k, double fx, double fy) {
        double top = g[k] + fx * (g[k + 1] - g[k]);
        double bottom = g[k + gw] + fx * (g[k + gw + 1] - g[k + gw]);
        return top + fy * (bottom - top);
    }

    /**
     * The output image: each pixel read from {@code photo} where this map takes it and {@code toPhoto} then takes
     * that point, sampled for an output showing the photo at {@code scale} output pixels per photo pixel.
     */
    public ColourImage render(PhotoPyramid photo, PlaneSimilarity toPhoto, double scale) {
        ColourImage out = new ColourImage(width, height);
        double[] p = new double[2];
        float[] rgb = new float[3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                at(x, y, p);
                photo.sample(toPhoto.x(p[0], p[1]), toPhoto.y(p[0], p[1]), scale, rgb);
                for (int c = 0; c < 3; c++) {
                    out.set(c, x, y, rgb[c]);
                }
            }
        }
        return out;
    }

    /**
     * Control points on the border of a size x size square that stay where they are, so a warp moves the face
     * and leaves the frame's edges (hair, background) in place.
     */
    public static double[] borderAnchors(double size, int perSide) {
        double[] out = new double[8 * perSide];
        int k = 0;
        for (int i = 0; i < perSide; i++) {
            double t = size * i / perSide;
            double[][] points = {{t, 0}, {size, t}, {size - t, size}, {0, size - t}};
            for (double[] p : points) {
                out[k++] = p[0];
                out[k++] = p[1];
            }
        }
        return out;
    }
}
