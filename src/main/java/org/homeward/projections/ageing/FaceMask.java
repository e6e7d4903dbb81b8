package org.homeward.projections.ageing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The face region of a shape: the convex hull of its points (jaw line to eyebrows), 1 inside, fading to 0
 * over a few pixels at its edge, so that an appearance change applied through it leaves no seam.
 */
final class FaceMask {

    private FaceMask() {
    }

    /** The mask of {@code shape} (coordinates in a frame of {@code frameSize} px) drawn at {@code size} px square. */
    static float[] of(double[] shape, int frameSize, int size) {
        double s = (double) size / frameSize;
        double[] scaled = new double[shape.length];
        for (int i = 0; i < shape.length; i++) {
            scaled[i] = shape[i] * s;
        }
        double[] hull = convexHull(scaled);
        float[] hard = new float[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                hard[y * size + x] = inside(hull, x, y) ? 1 : 0;
            }
        }
        // shrink by the feather's radius first, so the faded edge stays inside the hull
        int radius = Math.max(1, size / 32);
        return blur(blur(erode(hard, size, radius), size, radius), size, radius);
    }

    /** Andrew's monotone chain; the hull's corners, counter-clockwise, as x0, y0, ... */
    static double[] convexHull(double[] points) {
        int n = points.length / 2;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> points[2 * a] != points[2 * b] ? Double.compare(points[2 * a], points[2 * b])
                : Double.compare(points[2 * a + 1], points[2 * b + 1]));
        List<Integer> hull = new ArrayList<>();
        for (int pass = 0; pass < 2; pass++) {
            int start = hull.size();
            for (int k = 0; k < n; k++) {
                int i = order[pass == 0 ? k : n - 1 - k];
                while (hull.size() >= start + 2 && cross(points, hull.get(hull.size() - 2), hull.get(hull.size() - 1), i) <= 0) {
                    hull.remove(hull.size() - 1);
                }
                hull.add(i);
            }
            hull.remove(hull.size() - 1);
        }
        double[] out = new double[2 * hull.size()];
        for (int k = 0; k < hull.size(); k++) {
            out[2 * k] = points[2 * hull.get(k)];
            out[2 * k + 1] = points[2 * hull.get(k) + 1];
        }
        return out;
    }

    private static double cross(double[] p, int o, int a, int b) {
        return (p[2 * a] - p[2 * o]) * (p[2 * b + 1] - p[2 * o + 1]) - (p[2 * a + 1] - p[2 * o + 1]) * (p[2 * b] - p[2 * o]);
    }

    private static boolean inside(double[] polygon, double x, double y) {
        boolean in = false;
        int n = polygon.length / 2;
        for (int i = 0, j = n - 1; i < n; j = i++) {
            double xi = polygon[2 * i];
            double yi = polygon[2 * i + 1];
            double xj = polygon[2 * j];
            double yj = polygon[2 * j + 1];
            if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) {
                in = !in;
            }
        }
        return in;
    }

    private static float[] erode(float[] m, int size, int r) {
        float[] out = new float[m.length];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                float v = 1;
                for (int dy = -r; dy <= r && v > 0; dy++) {
                    for (int dx = -r; dx <= r; dx++) {
                        int xx = x + dx;
                        int yy = y + dy;
                        if (xx < 0 || yy < 0 || xx >= size || yy >= size || m[yy * size + xx] == 0) {
                            v = 0;
                            break;
                        }
                    }
                }
                out[y * size + x] = v;
            }
        }
        return out;
    }

    /** A box blur of radius r, rows then columns. */
    private static float[] blur(float[] m, int size, int r) {
        float[] tmp = new float[m.length];
        float[] out = new float[m.length];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                float s = 0;
                for (int d = -r; d <= r; d++) {
                    s += m[y * size + Math.max(0, Math.min(size - 1, x + d))];
                }
                tmp[y * size + x] = s / (2 * r + 1);
            }
        }
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                float s = 0;
                for (int d = -r; d <= r; d++) {
                    s += tmp[Math.max(0, Math.min(size - 1, y + d)) * size + x];
                }
                out[y * size + x] = s / (2 * r + 1);
            }
        }
        return out;
    }
}
