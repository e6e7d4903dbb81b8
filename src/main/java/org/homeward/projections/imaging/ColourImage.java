package org.homeward.projections.imaging;

import java.awt.image.BufferedImage;

/**
 * An RGB image as three float planes (0..255), with bilinear sampling and halving: what the warps read and
 * write. Values are kept as floats between steps so repeated resampling does not round twice.
 */
public final class ColourImage {

    private final int width;
    private final int height;
    private final float[][] planes;

    public ColourImage(int width, int height) {
        this(width, height, new float[][] {new float[width * height], new float[width * height], new float[width * height]});
    }

    private ColourImage(int width, int height, float[][] planes) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("an image of " + width + "x" + height + " pixels");
        }
        this.width = width;
        this.height = height;
        this.planes = planes;
    }

    public static ColourImage of(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        ColourImage out = new ColourImage(w, h);
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                out.planes[0][i] = (row[x] >> 16) & 0xff;
                out.planes[1][i] = (row[x] >> 8) & 0xff;
                out.planes[2][i] = row[x] & 0xff;
            }
        }
        return out;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public float get(int channel, int x, int y) {
        return planes[channel][y * width + x];
    }

    public void set(int channel, int x, int y, float v) {
        planes[channel][y * width + x] = v;
    }

    /** Luma (BT.601) at a pixel. */
    public float luma(int x, int y) {
        int i = y * width + x;
        return 0.299f * planes[0][i] + 0.587f * planes[1][i] + 0.114f * planes[2][i];
    }

    /** The luma of every pixel, row by row. */
    public float[] lumaPlane() {
        float[] out = new float[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                out[y * width + x] = luma(x, y);
            }
        }
        return out;
    }

    /**
     * Bilinear sample of all three channels at (x, y) in pixel coordinates (pixel centres at integers) into
     * {@code out}; points outside are clamped to the border, so a frame that reaches past a photo's edge
     * repeats the edge instead of going black.
     */
    public void sample(double x, double y, float[] out) {
        double cx = Math.max(0, Math.min(width - 1, x));
        double cy = Math.max(0, Math.min(height - 1, y));
        int x0 = (int) Math.floor(cx);
        int y0 = (int) Math.floor(cy);
        int x1 = Math.min(width - 1, x0 + 1);
        int y1 = Math.min(height - 1, y0 + 1);
        float fx = (float) (cx - x0);
        float fy = (float) (cy - y0);
        int i00 = y0 * width + x0;
        int i01 = y0 * width + x1;
        int i10 = y1 * width + x0;
        int i11 = y1 * width + x1;
        for (int c = 0; c < 3; c++) {
            float[] p = planes[c];
            float top = p[i00] + fx * (p[i01] - p[i00]);
            float bottom = p[i10] + fx * (p[i11] - p[i10]);
            out[c] = top + fy * (bottom - top);
        }
    }

    /** Half the size, each pixel the mean of a 2x2 block: for sampling a large face without aliasing. */
    public ColourImage halved() {
        int w = Math.max(1, width / 2);
        int h = Math.max(1, height / 2);
        ColourImage out = new ColourImage(w, h);
        for (int c = 0; c < 3; c++) {
            float[] src = planes[c];
            float[] dst = out.planes[c];
            for (int y = 0; y < h; y++) {
                int y0 = Math.min(height - 1, 2 * y);
                int y1 = Math.min(height - 1, 2 * y + 1);
                for (int x = 0; x < w; x++) {
                    int x0 = Math.min(width - 1, 2 * x);
                    int x1 = Math.min(width - 1, 2 * x + 1);
                    dst[y * w + x] = (src[y0 * width + x0] + src[y0 * width + x1] + src[y1 * width + x0]
                            + src[y1 * width + x1]) / 4;
                }
            }
        }
        return out;
    }

    /** 8-bit RGB, rounded and clamped. */
    public BufferedImage toBufferedImage() {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                row[x] = (byte8(planes[0][i]) << 16) | (byte8(planes[1][i]) << 8) | byte8(planes[2][i]);
            }
            out.setRGB(0, y, width, 1, row, 0, width);
        }
        return out;
    }

    private static int byte8(float v) {
        return Math.max(0, Math.min(255, Math.round(v)));
    }
}
