package org.homeward.models.dlib;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * dlib's tiled image pyramid (image_pyramid.h, pyramid_down&lt;6&gt;): every level of the image packed
 * into one float CHW image that the MMOD detector scans in a single pass, and the way back from a
 * rectangle in that image to the photo's coordinates.
 */
public final class TiledPyramid {

    /** pyramid_down&lt;N&gt;: each level is (N-1)/N of the one above. */
    static final int PYRAMID_N = 6;
    /** dlib stops before a level lower than this. */
    static final int MIN_LEVEL_HEIGHT = 5;

    /** An integer rectangle with inclusive corners, as dlib's rectangle. */
    public record Rect(int left, int top, int right, int bottom) {

        public int width() {
            return right - left + 1;
        }

        public int height() {
            return bottom - top + 1;
        }

        boolean contains(long x, long y) {
            return left <= x && x <= right && top <= y && y <= bottom;
        }

        boolean intersects(Rect o) {
            return Math.max(left, o.left) <= Math.min(right, o.right) && Math.max(top, o.top) <= Math.min(bottom, o.bottom);
        }
    }

    /** Where each level sits in the tiled image, and the tiled image's size. */
    public record Layout(List<Rect> levels, int rows, int cols) {
    }

    private final Layout layout;
    private final float[] data;

    private TiledPyramid(Layout layout, float[] data) {
        this.layout = layout;
        this.data = data;
    }

    /**
     * Builds the pyramid of {@code rgb}: raw 0..255 values, every pixel outside the levels set to
     * {@code background} (the model's mean, so that it normalises to dlib's zero background).
     */
    public static TiledPyramid build(BufferedImage rgb, int padding, int outerPadding, float[] background) {
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        Layout layout = layout(h, w, padding, outerPadding);
        int plane = layout.rows * layout.cols;
        float[] data = new float[3 * plane];
        for (int c = 0; c < 3; c++) {
            Arrays.fill(data, c * plane, (c + 1) * plane, background[c]);
        }
        Rect r0 = layout.levels.get(0);
        int[] row = new int[w];
        RgbPixels pixels = new RgbPixels(rgb);
        for (int y = 0; y < h; y++) {
            pixels.row(0, y, w, row, 0);
            int at = (r0.top + y) * layout.cols + r0.left;
            for (int x = 0; x < w; x++) {
                int p = row[x];
                data[at + x] = (p >> 16) & 0xff;
                data[plane + at + x] = (p >> 8) & 0xff;
                data[2 * plane + at + x] = p & 0xff;
            }
        }
        // each level is resized from the level above (never from the image), as dlib does
        for (int i = 1; i < layout.levels.size(); i++) {
            DlibBilinearResize.resize(data, 3, plane, layout.cols, layout.levels.get(i - 1), layout.levels.get(i));
        }
        return new TiledPyramid(layout, data);
    }

    /**
     * dlib impl::compute_tiled_image_pyramid_details for pyramid_down&lt;6&gt;: the first levels go down the left
     * column, the rest up the right edge until one would touch level 0.
     */
    public static Layout layout(int imageHeight, int imageWidth, int padding, int outerPadding) {
        double rate = (PYRAMID_N - 1.0) / PYRAMID_N;
        List<int[]> sizes = new ArrayList<>(); // {w, h}
        sizes.add(new int[] {imageWidth, imageHeight});
        long nr = imageHeight;
        long nc = imageWidth;
        while (true) {
            nr = (long) Math.floor(rate * nr);
            nc = (long) Math.floor(rate * nc);
            if (nr * nc == 0 || nr < MIN_LEVEL_HEIGHT) {
                break;
            }
            sizes.add(new int[] {(int) nc, (int) nr});
        }
        long w0 = imageWidth;
        long h0 = imageHeight;
        long totalHeight = -2L * padding;
        for (int[] s : sizes) {
            totalHeight += s[1] + padding;
        }
        long height = 0;
        long prevWidth = 0;
        for (int[] s : sizes) {
            // dlib compares these as unsigned long: a negative difference wraps around to a huge value
            if (Long.compareUnsigned(s[0], w0 - prevWidth - padding) <= 0
                    && Long.compareUnsigned((height - h0) * 2, totalHeight - h0) >= 0) {
                break;
            }
            height += s[1] + padding;
            prevWidth = s[0];
        }
        height -= padding;
        int rows = (int) height + 2 * outerPadding;
        int cols = imageWidth + 2 * outerPadding;

        List<Rect> rects = new ArrayList<>();
        long y = outerPadding;
        int i = 0;
        while (y < height + outerPadding && i < sizes.size()) {
            int[] s = sizes.get(i);
            rects.add(new Rect(outerPadding, (int) y, outerPadding + s[0] - 1, (int) y + s[1] - 1));
            y += s[1] + padding;
            i++;
        }
        y -= padding;
        Rect r0 = rects.get(0);
        while (i < sizes.size()) {
            int[] s = sizes.get(i);
            int right = outerPadding + imageWidth - 1;
            int bottom = (int) y - 1;
            Rect rect = new Rect(right - s[0] + 1, bottom - s[1] + 1, right, bottom);
            if (rect.intersects(r0)) {
                break; // dlib drops this level and every smaller one
            }
            rects.add(rect);
            y -= s[1] + padding;
            i++;
        }
        return new Layout(List.copyOf(rects), rows, cols);
    }

    public Layout layout() {
        return layout;
    }

    public List<Rect> levels() {
        return layout.levels;
    }

    public int rows() {
        return layout.rows;
    }

    public int cols() {
        return layout.cols;
    }

    /** The pixels, CHW (R, G, B planes of rows x cols), raw 0..255 with the background colour between levels. */
    public float[] data() {
        return data;
    }

    /**
     * dlib tiled_pyramid_to_image: the level whose rectangle holds the (rounded) centre of the given tiled-image
     * rectangle (else the nearest level), then point_up from that level. Returns {left, top, right, bottom} in
     * image coordinates (doubles, not yet rounded).
     */
    public double[] toImage(double left, double top, double right, double bottom) {
        long cx = roundHalfUp((left + right) / 2.0);
        long cy = roundHalfUp((top + bottom) / 2.0);
        int level = nearestLevel(cx, cy);
        Rect r = layout.levels.get(level);
        double[] tl = pointUp(left - r.left, top - r.top, level);
        double[] br = pointUp(right - r.left, bottom - r.top, level);
        return new double[] {tl[0], tl[1], br[0], br[1]};
    }

    /** dlib nearest_rect: the first level containing the point, else the nearest one (first on ties). */
    int nearestLevel(long x, long y) {
        int best = 0;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int i = 0; i < layout.levels.size(); i++) {
            Rect r = layout.levels.get(i);
            if (r.contains(x, y)) {
                return i;
            }
            double nx = Math.min(Math.max(x, r.left), r.right);
            double ny = Math.min(Math.max(y, r.top), r.bottom);
            double d = Math.hypot(nx - x, ny - y);
            if (d < bestDistance) {
                best = i;
                bestDistance = d;
            }
        }
        return best;
    }

    /** pyramid_down&lt;6&gt;::point_up applied {@code levels} times: p * 6/5 + 0.3. */
    static double[] pointUp(double x, double y, int levels) {
        double ratio = PYRAMID_N / (PYRAMID_N - 1.0);
        for (int i = 0; i < levels; i++) {
            x = x * ratio + 0.3;
            y = y * ratio + 0.3;
        }
        return new double[] {x, y};
    }

    /** dlib's double to integer conversion for points and rectangles. */
    static long roundHalfUp(double v) {
        return (long) Math.floor(v + 0.5);
    }
}
