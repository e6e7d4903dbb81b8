package org.homeward.models.dlib;

import java.awt.image.BufferedImage;
import java.util.Arrays;

/** Shrinks an RGB image by averaging the source pixels under each target pixel (the detector's cost guard). */
final class AreaDownscale {

    private AreaDownscale() {
    }

    /** {@code scale} in (0, 1]: the result is round(w * scale) x round(h * scale), at least 1 x 1. */
    static BufferedImage scale(BufferedImage src, double scale) {
        int w = src.getWidth();
        int h = src.getHeight();
        int dw = Math.max(1, (int) Math.round(w * scale));
        int dh = Math.max(1, (int) Math.round(h * scale));
        int[] x0 = new int[dw];
        int[] x1 = new int[dw];
        for (int x = 0; x < dw; x++) {
            x0[x] = (int) ((long) x * w / dw);
            x1[x] = Math.max(x0[x] + 1, (int) ((long) (x + 1) * w / dw));
        }
        RgbPixels pixels = new RgbPixels(src);
        BufferedImage out = new BufferedImage(dw, dh, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[w];
        int[] outRow = new int[dw];
        long[] r = new long[dw];
        long[] g = new long[dw];
        long[] b = new long[dw];
        for (int y = 0; y < dh; y++) {
            int y0 = (int) ((long) y * h / dh);
            int y1 = Math.max(y0 + 1, (int) ((long) (y + 1) * h / dh));
            Arrays.fill(r, 0);
            Arrays.fill(g, 0);
            Arrays.fill(b, 0);
            // one source row at a time, so a huge photo is never copied whole
            for (int yy = y0; yy < y1; yy++) {
                pixels.row(0, yy, w, row, 0);
                for (int x = 0; x < dw; x++) {
                    for (int xx = x0[x]; xx < x1[x]; xx++) {
                        int p = row[xx];
                        r[x] += (p >> 16) & 0xff;
                        g[x] += (p >> 8) & 0xff;
                        b[x] += p & 0xff;
                    }
                }
            }
            for (int x = 0; x < dw; x++) {
                long n = (long) (y1 - y0) * (x1[x] - x0[x]);
                outRow[x] = (int) ((r[x] + n / 2) / n) << 16 | (int) ((g[x] + n / 2) / n) << 8 | (int) ((b[x] + n / 2) / n);
            }
            out.setRGB(0, y, dw, 1, outRow, 0, dw);
        }
        return out;
    }
}
