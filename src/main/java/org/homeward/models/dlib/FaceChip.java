package org.homeward.models.dlib;

import java.awt.image.BufferedImage;
import org.homeward.models.Landmarks;

/**
 * dlib get_face_chip_details + extract_image_chip for 5-point landmarks: the face rotated, scaled and
 * cut out onto a square chip the way dlib's face recognition model was trained (pyramid_down&lt;2&gt; for
 * large faces, bilinear sampling, values truncated).
 */
public final class FaceChip {

    /** dlib's 5-point template (unit square, padding 0), in landmark order. */
    static final double[][] TEMPLATE_UNIT = {
        {0.8595674595992, 0.2134981538014}, {0.6460604764104, 0.2289674387677}, {0.1205750620789, 0.2137274526848},
        {0.3340850613712, 0.2290642403242}, {0.4901123135679, 0.6277975316475}};

    /** dlib chip_details: a rotated rectangle of the image (double corners, angle in radians) and the chip's size. */
    public record Details(double left, double top, double right, double bottom, double angle, int rows, int cols) {
    }

    private FaceChip() {
    }

    /** dlib get_face_chip_details(shape, size, padding) with {@code template} = the unit template in landmark order. */
    public static Details details(Landmarks landmarks, double[][] templateUnit, int size, double padding) {
        int n = templateUnit.length;
        double[] fx = new double[n];
        double[] fy = new double[n];
        for (int i = 0; i < n; i++) {
            fx[i] = (padding + templateUnit[i][0]) / (2 * padding + 1) * size;
            fy[i] = (padding + templateUnit[i][1]) / (2 * padding + 1) * size;
        }
        SimilarityTransform s = SimilarityTransform.fit(fx, fy, landmarks.x(), landmarks.y());
        double angle = Math.atan2(s.a10(), s.a00());
        double scale = Math.hypot(s.a00(), s.a10());
        double cx = s.x(size / 2.0, size / 2.0);
        double cy = s.y(size / 2.0, size / 2.0);
        double w = size * scale - 1;
        double h = size * scale - 1;
        return new Details(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, angle, size, size);
    }

    /** dlib extract_image_chip with bilinear interpolation: packed 0xRRGGBB pixels, rows x cols, row-major. */
    public static int[] extract(BufferedImage img, Details d) {
        int rows = d.rows();
        int cols = d.cols();
        long size = (long) rows * cols;
        int imgW = img.getWidth();
        int imgH = img.getHeight();
        double[] rect = {d.left(), d.top(), d.right(), d.bottom()};
        double angle = d.angle();

        // how deep a pyramid_down<2> pyramid the chip needs (large faces are shrunk before sampling)
        int depth = 0;
        double grow = 2;
        double[] r = rectDown(rect);
        while (area(r) > size) {
            r = rectDown(r);
            depth++;
            grow = grow * 2 + 2;
        }

        // the part of the image the rotated chip reads, grown by the pyramid filters' reach
        double cx = (rect[0] + rect[2]) / 2.0;
        double cy = (rect[1] + rect[3]) / 2.0;
        double[][] corners = {rotate(cx, cy, rect[0], rect[1], angle), rotate(cx, cy, rect[2], rect[1], angle),
            rotate(cx, cy, rect[0], rect[3], angle), rotate(cx, cy, rect[2], rect[3], angle)};
        double minX = Double.POSITIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (double[] p : corners) {
            minX = Math.min(minX, p[0]);
            minY = Math.min(minY, p[1]);
            maxX = Math.max(maxX, p[0]);
            maxY = Math.max(maxY, p[1]);
        }
        long bl = TiledPyramid.roundHalfUp(Math.max(minX - grow, 0));
        long bt = TiledPyramid.roundHalfUp(Math.max(minY - grow, 0));
        long br = TiledPyramid.roundHalfUp(Math.min(maxX + grow, imgW - 1));
        long bb = TiledPyramid.roundHalfUp(Math.min(maxY + grow, imgH - 1));
        PyramidDown2.Rgb sub = crop(img, bl, bt, br, bb);
        PyramidDown2.Rgb[] levels = new PyramidDown2.Rgb[depth];
        for (int k = 0; k < depth; k++) {
            levels[k] = PyramidDown2.down(k == 0 ? sub : levels[k - 1]);
        }
        // note: dlib copies instead of sampling when angle == 0 and the rect is exactly rows x cols; with
        // real landmarks that never happens, and sampling at integer positions gives the same pixels

        int level = -1;
        double[] r2 = {rect[0] - bl, rect[1] - bt, rect[2] - bl, rect[3] - bt};
        while (area(rectDown(r2)) > size) {
            level++;
            r2 = rectDown(r2);
        }
        // the area test ignores position, so level == depth - 1 up to float rounding; clamp as a guard
        level = Math.min(level, depth - 1);
        PyramidDown2.Rgb src = level < 0 ? sub : levels[level];
        double c2x = (r2[0] + r2[2]) / 2.0;
        double c2y = (r2[1] + r2[3]) / 2.0;
        double[] tl = rotate(c2x, c2y, r2[0], r2[1], angle);
        double[] tr = rotate(c2x, c2y, r2[2], r2[1], angle);
        double[] blc = rotate(c2x, c2y, r2[0], r2[3], angle);
        // affine map: chip (0,0) -> tl, (cols-1,0) -> tr, (0,rows-1) -> bl
        double ax0 = (tr[0] - tl[0]) / (cols - 1);
        double ax1 = (blc[0] - tl[0]) / (rows - 1);
        double ay0 = (tr[1] - tl[1]) / (cols - 1);
        double ay1 = (blc[1] - tl[1]) / (rows - 1);

        int sw = src.width();
        int sh = src.height();
        int[] p = src.pixels();
        int[] out = new int[rows * cols];
        for (int rr = 0; rr < rows; rr++) {
            for (int c = 0; c < cols; c++) {
                double x = ax0 * c + ax1 * rr + tl[0];
                double y = ay0 * c + ay1 * rr + tl[1];
                double fl = Math.floor(x);
                double ft = Math.floor(y);
                if (fl < 0 || ft < 0 || fl + 1 >= sw || ft + 1 >= sh) {
                    continue; // outside: black
                }
                int left = (int) fl;
                int top = (int) ft;
                double lx = x - left;
                double ty = y - top;
                int ptl = p[top * sw + left];
                int ptr = p[top * sw + left + 1];
                int pbl = p[(top + 1) * sw + left];
                int pbr = p[(top + 1) * sw + left + 1];
                int v = 0;
                for (int shift = 16; shift >= 0; shift -= 8) {
                    double s = (1 - ty) * ((1 - lx) * ((ptl >> shift) & 0xff) + lx * ((ptr >> shift) & 0xff))
                            + ty * ((1 - lx) * ((pbl >> shift) & 0xff) + lx * ((pbr >> shift) & 0xff));
                    v = (v << 8) | (int) s; // truncated, as static_cast<unsigned char>
                }
                out[rr * cols + c] = v;
            }
        }
        return out;
    }

    /** The chip as the embedder's input: [3 x rows x cols] RGB planes of raw 0..255 values. */
    public static float[] toChw(int[] packed, int rows, int cols) {
        int plane = rows * cols;
        float[] out = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            int v = packed[i];
            out[i] = (v >> 16) & 0xff;
            out[plane + i] = (v >> 8) & 0xff;
            out[2 * plane + i] = v & 0xff;
        }
        return out;
    }

    private static PyramidDown2.Rgb crop(BufferedImage img, long l, long t, long r, long b) {
        int w = (int) Math.max(0, r - l + 1);
        int h = (int) Math.max(0, b - t + 1);
        if (w == 0 || h == 0) {
            return new PyramidDown2.Rgb(0, 0, new int[0]);
        }
        int[] px = new int[w * h];
        RgbPixels pixels = new RgbPixels(img);
        for (int y = 0; y < h; y++) {
            pixels.row((int) l, (int) t + y, w, px, y * w);
        }
        return new PyramidDown2.Rgb(w, h, px);
    }

    /** pyramid_down&lt;2&gt;::rect_down: p -> (p.x/2 - 1.25, p.y/2 - 0.75) for both corners. */
    private static double[] rectDown(double[] r) {
        return new double[] {r[0] / 2.0 - 1.25, r[1] / 2.0 - 0.75, r[2] / 2.0 - 1.25, r[3] / 2.0 - 0.75};
    }

    /** dlib drectangle area: (right-left+1)*(bottom-top+1), 0 when empty. */
    private static double area(double[] r) {
        if (r[1] > r[3] || r[0] > r[2]) {
            return 0;
        }
        return (r[2] - r[0] + 1) * (r[3] - r[1] + 1);
    }

    private static double[] rotate(double cx, double cy, double x, double y, double angle) {
        double s = Math.sin(angle);
        double c = Math.cos(angle);
        double dx = x - cx;
        double dy = y - cy;
        return new double[] {c * dx - s * dy + cx, s * dx + c * dy + cy};
    }
}
