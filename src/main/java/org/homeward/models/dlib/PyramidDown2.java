package org.homeward.models.dlib;

/** dlib pyramid_down&lt;2&gt; (impl::pyramid_down_2_1) on packed 8-bit RGB: [1 4 6 4 1] both ways, every other pixel, integer sums. */
final class PyramidDown2 {

    private PyramidDown2() {
    }

    /** A packed RGB image (0xRRGGBB per pixel, row-major). */
    record Rgb(int width, int height, int[] pixels) {
    }

    /** Half the size minus the filter's border: ((W-3)/2) x ((H-3)/2); empty when either side is 8 or less. */
    static Rgb down(Rgb src) {
        int w = src.width;
        int h = src.height;
        if (h <= 8 || w <= 8) {
            return new Rgb(0, 0, new int[0]);
        }
        int tw = (w - 3) / 2;
        int th = (h - 3) / 2;
        // row filter on columns 2c..2c+4 of every row, three channels side by side
        int[] tmp = new int[h * tw * 3];
        int[] p = src.pixels;
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int c = 0; c < tw; c++) {
                int at = row + 2 * c;
                for (int ch = 0; ch < 3; ch++) {
                    int shift = 16 - 8 * ch;
                    tmp[(y * tw + c) * 3 + ch] = ((p[at] >> shift) & 0xff) + 4 * ((p[at + 1] >> shift) & 0xff)
                            + 6 * ((p[at + 2] >> shift) & 0xff) + 4 * ((p[at + 3] >> shift) & 0xff)
                            + ((p[at + 4] >> shift) & 0xff);
                }
            }
        }
        // column filter on rows r-2..r+2 for r = 2, 4, ... < h-2; rows past that stay black, as in dlib
        int[] out = new int[th * tw];
        for (int i = 0; i < th; i++) {
            int r = 2 + 2 * i;
            if (r >= h - 2) {
                break;
            }
            for (int c = 0; c < tw; c++) {
                int v = 0;
                for (int ch = 0; ch < 3; ch++) {
                    int sum = tmp[((r - 2) * tw + c) * 3 + ch] + 4 * tmp[((r - 1) * tw + c) * 3 + ch]
                            + 6 * tmp[(r * tw + c) * 3 + ch] + 4 * tmp[((r + 1) * tw + c) * 3 + ch]
                            + tmp[((r + 2) * tw + c) * 3 + ch];
                    v = (v << 8) | (sum / 256);
                }
                out[i * tw + c] = v;
            }
        }
        return new Rgb(tw, th, out);
    }
}
