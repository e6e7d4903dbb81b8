package org.homeward.photos;

import java.awt.image.BufferedImage;

/**
 * Turns a photo's bytes into upright RGB pixels, all of them ({@link PhotoPixels} reads less when less is
 * needed), refusing what is not a readable image.
 */
public final class ImageDecoder {

    private ImageDecoder() {
    }

    /** An image decoded and turned upright. */
    public record Decoded(ImageFormat format, BufferedImage rgb) {
        public int width() {
            return rgb.getWidth();
        }

        public int height() {
            return rgb.getHeight();
        }
    }

    public static Decoded decode(byte[] bytes, long maxPixels) {
        PhotoPixels photo = PhotoPixels.open(bytes, maxPixels);
        return new Decoded(photo.format(), photo.whole());
    }

    /** Grayscale, palette and alpha images all become plain 8-bit RGB, the one layout the models read. */
    static BufferedImage toRgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        var raster = image.getRaster();
        if (raster.getNumBands() == 1 && raster.getSampleModel().getSampleSize(0) == 8) {
            // Gray samples are copied to R, G and B as they are: a colour-managed conversion would
            // brighten them, and the models were trained on the raw values.
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    row[x] = (row[x] << 16) | (row[x] << 8) | row[x];
                }
                rgb.setRGB(0, y, w, 1, row, 0, w);
            }
            return rgb;
        }
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            rgb.setRGB(0, y, w, 1, row, 0, w);
        }
        return rgb;
    }
}
