package org.homeward.models.dlib;

import java.util.Arrays;

/**
 * dlib's resize_image for float planes (interpolation.h, the SIMD path that dlib's CPU
 * tt::resize_bilinear takes), reproduced operation by operation so the pyramid levels carry the same
 * float32 values as dlib's: plain double bilinear differs by up to 0.55 grey levels and 2e-3 in the
 * detector's scores.
 */
final class DlibBilinearResize {

    private DlibBilinearResize() {
    }

    /**
     * Resizes the rectangle {@code src} of every channel of {@code buf} into the rectangle {@code dst} of the same
     * buffer (they never overlap in a tiled pyramid). {@code buf} is CHW with {@code planeSize} floats per channel
     * and {@code stride} floats per row.
     */
    static void resize(float[] buf, int channels, int planeSize, int stride, TiledPyramid.Rect src,
            TiledPyramid.Rect dst) {
        int sw = src.width();
        int sh = src.height();
        int dw = dst.width();
        int dh = dst.height();
        double xScale = (sw - 1) / (double) Math.max(dw - 1, 1);
        double yScale = (sh - 1) / (double) Math.max(dh - 1, 1);

        // The SIMD lanes' columns are the same on every row: dlib recomputes them per row from the
        // same start, so they are computed once here. Lanes run in float32 with a float32 step.
        int[] lanes = simdColumns(sw, xScale);
        int nSimd = lanes.length / 2 / 4 * 4;
        int[] left = new int[nSimd];
        float[] frac = new float[nSimd];
        for (int c = 0; c < nSimd; c++) {
            left[c] = lanes[2 * c];
            frac[c] = Float.intBitsToFloat(lanes[2 * c + 1]);
        }

        // The scalar tail's columns: double x, accumulated as dlib does from the SIMD part's end.
        int nTail = Math.max(dw - nSimd, 0);
        int[] tailLeft = new int[nTail];
        int[] tailRight = new int[nTail];
        float[] tailFrac = new float[nTail];
        double x = -xScale + nSimd * xScale;
        for (int i = 0; i < nTail; i++) {
            x += xScale;
            int l = (int) Math.floor(x);
            tailLeft[i] = l;
            tailRight[i] = Math.min(l + 1, sw - 1);
            tailFrac[i] = (float) (x - l);
        }
        int simdCols = Math.min(nSimd, dw);

        double y = -yScale;
        for (int r = 0; r < dh; r++) {
            y += yScale;
            int top = (int) Math.floor(y);
            int bottom = Math.min(top + 1, sh - 1);
            double tb = y - top;
            float tbf = (float) tb;
            float itbf = (float) (1 - tb);
            for (int ch = 0; ch < channels; ch++) {
                int base = ch * planeSize;
                int topRow = base + (src.top() + top) * stride + src.left();
                int bottomRow = base + (src.top() + bottom) * stride + src.left();
                int out = base + (dst.top() + r) * stride + dst.left();
                for (int c = 0; c < simdCols; c++) {
                    int l = left[c];
                    float lr = frac[c];
                    float ilr = 1f - lr;
                    // weights first, then summed in dlib's order: tl + tr + bl + br
                    float tlf = itbf * ilr;
                    float trf = itbf * lr;
                    float blf = tbf * ilr;
                    float brf = tbf * lr;
                    float v = tlf * buf[topRow + l];
                    v = v + trf * buf[topRow + l + 1];
                    v = v + blf * buf[bottomRow + l];
                    v = v + brf * buf[bottomRow + l + 1];
                    buf[out + c] = v;
                }
                for (int i = 0; i < nTail; i++) {
                    float lr = tailFrac[i];
                    float ilr = 1f - lr;
                    float a = ilr * buf[topRow + tailLeft[i]] + lr * buf[topRow + tailRight[i]];
                    float b = ilr * buf[bottomRow + tailLeft[i]] + lr * buf[bottomRow + tailRight[i]];
                    buf[out + nSimd + i] = (float) ((1 - tb) * a + tb * b);
                }
            }
        }
    }

    /**
     * The SIMD loop's columns: pairs (left, float bits of the fraction), four lanes per group, until lane 3's
     * right neighbour would leave the source row (dlib's break condition).
     */
    private static int[] simdColumns(int sw, double xScale) {
        double x0 = -4 * xScale;
        float[] lane = {(float) x0, (float) (x0 + xScale), (float) (x0 + 2 * xScale), (float) (x0 + 3 * xScale)};
        float step = (float) (4 * xScale);
        int[] out = new int[64];
        int n = 0;
        while (true) {
            int[] l = new int[4];
            for (int j = 0; j < 4; j++) {
                lane[j] = lane[j] + step;
                l[j] = (int) lane[j]; // truncation, as _mm_cvttps_epi32
            }
            if (l[3] + 1 >= sw) {
                break;
            }
            if (n + 8 > out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            for (int j = 0; j < 4; j++) {
                out[n++] = l[j];
                out[n++] = Float.floatToRawIntBits(lane[j] - (float) l[j]);
            }
        }
        return Arrays.copyOf(out, n);
    }
}
