package org.homeward.models.dlib;

import java.awt.image.BufferedImage;

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
        int[] pixels = src.getRGB(0, 0, w, h, null, 0, w);
        BufferedImage out = new BufferedImage(dw, dh, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[dw];
        for (int y = 0; y < dh; y++) {
            int y0 = (int) ((long) y * h / dh);
            int y1 = Math.max(y0 + 1, (int) ((long) (y + 1) * h / dh));
            for (int x = 0; x < dw; x++) {
                int x0 = (int) ((long) x * w / dw);
                int x1 = Math.max(x0 + 1, (int) ((long) (x + 1) * w / dw));
                long r = 0;
                long g = 0;
                long b = 0;
                for (int yy = y0; yy < y1; yy++) {
                    for (int xx = x0; xx < x1; xx++) {
                        int p = pixels[yy * w + xx];
                        r += (p >> 16) & 0xff;
                        g += (p >> 8) & 0xff;
                        b += p & 0xff;
                    }
                }
                long n = (long) (y1 - y0) * (x1 - x0);
                row[x] = (int) ((r + n / 2) / n) << 16 | (int) ((g + n / 2) / n) << 8 | (int) ((b + n / 2) / n);
            }
            out.setRGB(0, y, dw, 1, row, 0, dw);
        }
        return out;
    }
}
