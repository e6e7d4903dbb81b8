package org.homeward.projections.imaging;

/**
 * A luma plane split into detail bands by scale (differences of blurs, finest first) and the local strength of
 * each band: how the texture prototypes describe skin, brows and creases at an age (Tiddeman, Burt and Perrett
 * 2001 do it in a wavelet domain; a difference-of-blurs pyramid at full resolution has the same property that
 * matters here: the mean of the faces' band strengths keeps the older age's texture, where the band strength
 * of their mean image would be blurred away). Plain floats, no randomness: the same input gives the same bits.
 */
public final class TextureBands {

    /** Box radii of the blurs whose differences are the bands: band k = blur(r[k]) - blur(r[k + 1]), r[0] = none. */
    private static final int[] RADII = {0, 1, 2, 4, 8};

    /** How many bands: fine (about 1-2 px) to coarse (about 8-16 px) at the frame's resolution. */
    public static final int COUNT = RADII.length - 1;

    private TextureBands() {
    }

    /** The bands of a size x size plane, finest first; their sum plus the coarsest blur is the plane. */
    public static float[][] of(float[] plane, int size) {
        float[][] blurred = new float[RADII.length][];
        blurred[0] = plane;
        for (int k = 1; k < RADII.length; k++) {
            blurred[k] = blur(plane, size, RADII[k]);
        }
        float[][] bands = new float[COUNT][plane.length];
        for (int k = 0; k < COUNT; k++) {
            for (int i = 0; i < plane.length; i++) {
                bands[k][i] = blurred[k][i] - blurred[k + 1][i];
            }
        }
        return bands;
    }

    /**
     * Each band's local strength: the mean absolute value around each pixel over a neighbourhood twice the band's
     * scale, reduced to {@code out} x {@code out} (it varies slowly, so a quarter of a 512 px frame is enough).
     */
    public static float[][] strengths(float[][] bands, int size, int out) {
        float[][] strengths = new float[bands.length][];
        for (int k = 0; k < bands.length; k++) {
            float[] magnitude = new float[bands[k].length];
            for (int i = 0; i < magnitude.length; i++) {
                magnitude[i] = Math.abs(bands[k][i]);
            }
            strengths[k] = resize(blur(magnitude, size, Math.max(2, 2 * RADII[k + 1])), size, out);
        }
        return strengths;
    }

    /**
     * A blur close to a Gaussian: three box blurs of radius r, rows then columns, each in time independent of r;
     * edges repeat the border pixel.
     */
    public static float[] blur(float[] plane, int size, int radius) {
        float[] a = plane.clone();
        float[] b = new float[plane.length];
        for (int pass = 0; pass < 3; pass++) {
            boxRows(a, b, size, radius);
            boxColumns(b, a, size, radius);
        }
        return a;
    }

    private static void boxRows(float[] in, float[] out, int size, int r) {
        float norm = 1f / (2 * r + 1);
        for (int y = 0; y < size; y++) {
            int row = y * size;
            double sum = 0;
            for (int d = -r; d <= r; d++) {
                sum += in[row + clamp(d, size)];
            }
            for (int x = 0; x < size; x++) {
                out[row + x] = (float) (sum * norm);
                sum += in[row + clamp(x + r + 1, size)] - in[row + clamp(x - r, size)];
            }
        }
    }

    private static void boxColumns(float[] in, float[] out, int size, int r) {
        float norm = 1f / (2 * r + 1);
        for (int x = 0; x < size; x++) {
            double sum = 0;
            for (int d = -r; d <= r; d++) {
                sum += in[clamp(d, size) * size + x];
            }
            for (int y = 0; y < size; y++) {
                out[y * size + x] = (float) (sum * norm);
                sum += in[clamp(y + r + 1, size) * size + x] - in[clamp(y - r, size) * size + x];
            }
        }
    }

    private static int clamp(int i, int size) {
        return i < 0 ? 0 : i >= size ? size - 1 : i;
    }

    /** Area-averaged reduction of a size x size plane to out x out (size a multiple of out), or the plane itself. */
    static float[] resize(float[] plane, int size, int out) {
        if (out == size) {
            return plane;
        }
        if (size % out != 0) {
            throw new IllegalArgumentException("cannot reduce " + size + " px to " + out + " px evenly");
        }
        int f = size / out;
        float[] reduced = new float[out * out];
        for (int y = 0; y < out; y++) {
            for (int x = 0; x < out; x++) {
                double sum = 0;
                for (int dy = 0; dy < f; dy++) {
                    for (int dx = 0; dx < f; dx++) {
                        sum += plane[(y * f + dy) * size + x * f + dx];
                    }
                }
                reduced[y * out + x] = (float) (sum / (f * f));
            }
        }
        return reduced;
    }
}
