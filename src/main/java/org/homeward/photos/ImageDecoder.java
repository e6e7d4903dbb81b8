package org.homeward.photos;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Turns uploaded bytes into upright RGB pixels, refusing what is not a readable image: the size is
 * read from the header first, so a decompression bomb is refused before any pixel is allocated.
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
        if (bytes.length == 0) {
            throw PhotoRejected.empty();
        }
        ImageFormat format = ImageFormat.sniff(bytes).orElseThrow(PhotoRejected::notAnImage);
        if (format == ImageFormat.JPEG && !endsWithEoi(bytes)) {
            throw PhotoRejected.corrupt("the JPEG data ends before its end marker (truncated file?)");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw PhotoRejected.formatNotReadable(format);
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if ((long) width * height > maxPixels) {
                    throw PhotoRejected.tooManyPixels(width, height, maxPixels);
                }
                BufferedImage decoded = reader.read(0);
                int orientation = format == ImageFormat.JPEG ? ExifOrientation.of(bytes) : 1;
                return new Decoded(format, ExifOrientation.upright(toRgb(decoded), orientation));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof PhotoRejected rejected) {
                throw rejected;
            }
            throw PhotoRejected.corrupt(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    private static boolean endsWithEoi(byte[] b) {
        // Some writers pad after the end marker; look at the last few bytes.
        for (int i = b.length - 2; i >= Math.max(0, b.length - 64); i--) {
            if ((b[i] & 0xff) == 0xFF && (b[i + 1] & 0xff) == 0xD9) {
                return true;
            }
        }
        return false;
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
