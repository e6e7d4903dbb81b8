package org.homeward.photos;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * One photo's pixels, read no more than a use needs: its size and orientation come from the header, and a caller
 * asks for the whole photo, a thinned-out overview, or one region (a face) at full resolution. A 50-megapixel
 * photo decoded whole is 200 MB of RGB; its overview and face regions are a few megabytes each, so what the worker
 * and the face images hold stays flat whatever people upload (docs/reliability.md, "Memory").
 *
 * <p>All coordinates are the upright photo's (EXIF orientation applied), the coordinates faces are stored in.
 */
public final class PhotoPixels {

    /** The size of the overview {@link #verify()} decodes: small, yet every byte of the image data is read. */
    private static final long VERIFY_PIXELS = 1_000_000;

    private final byte[] bytes;
    private final ImageFormat format;
    private final int storedWidth;
    private final int storedHeight;
    private final int orientation;

    private PhotoPixels(byte[] bytes, ImageFormat format, int storedWidth, int storedHeight, int orientation) {
        this.bytes = bytes;
        this.format = format;
        this.storedWidth = storedWidth;
        this.storedHeight = storedHeight;
        this.orientation = orientation;
    }

    /**
     * Reads the header: the format, the size and the orientation. Refuses what is not a readable image, and an image
     * over {@code maxPixels} before any pixel is allocated (a decompression bomb).
     */
    public static PhotoPixels open(byte[] bytes, long maxPixels) {
        if (bytes.length == 0) {
            throw PhotoRejected.empty();
        }
        ImageFormat format = ImageFormat.sniff(bytes).orElseThrow(PhotoRejected::notAnImage);
        if (format == ImageFormat.JPEG && !endsWithEoi(bytes)) {
            throw PhotoRejected.corrupt("the JPEG data ends before its end marker (truncated file?)");
        }
        int[] size = read(bytes, format, reader -> new int[] {reader.getWidth(0), reader.getHeight(0)});
        if ((long) size[0] * size[1] > maxPixels) {
            throw PhotoRejected.tooManyPixels(size[0], size[1], maxPixels);
        }
        int orientation = format == ImageFormat.JPEG ? ExifOrientation.of(bytes) : 1;
        return new PhotoPixels(bytes, format, size[0], size[1], orientation);
    }

    public ImageFormat format() {
        return format;
    }

    /** The upright photo's width. */
    public int width() {
        return orientation >= 5 ? storedHeight : storedWidth;
    }

    /** The upright photo's height. */
    public int height() {
        return orientation >= 5 ? storedWidth : storedHeight;
    }

    public long pixels() {
        return (long) storedWidth * storedHeight;
    }

    /** The whole photo, upright, as 8-bit RGB: the pixels dlib's load_image gives (DecodedPixelsTest). */
    public BufferedImage whole() {
        return sample(new Rectangle(0, 0, width(), height()), 1).image();
    }

    /** The whole photo thinned out to at most {@code maxPixels} (every n-th pixel of every n-th row). */
    public Sampled overview(long maxPixels) {
        return sample(new Rectangle(0, 0, width(), height()), stepFor(maxPixels));
    }

    /**
     * Decodes the whole image data without keeping it (a 1-megapixel overview), so an upload that would fail to
     * decode is refused at once rather than found by the worker.
     */
    public void verify() {
        overview(VERIFY_PIXELS);
    }

    /**
     * The pixels of {@code region} (upright coordinates, clipped to the photo), every {@code step}-th pixel of every
     * {@code step}-th row. Only the region's pixels are kept; the decoder still reads the data before it.
     */
    public Sampled sample(Rectangle region, int step) {
        if (step < 1) {
            throw new IllegalArgumentException("step must be at least 1");
        }
        Rectangle upright = region.intersection(new Rectangle(0, 0, width(), height()));
        if (upright.isEmpty()) {
            throw new IllegalArgumentException("the region " + region + " lies outside the photo");
        }
        Rectangle stored = toStored(upright);
        BufferedImage decoded = read(bytes, format, reader -> {
            ImageReadParam param = reader.getDefaultReadParam();
            param.setSourceRegion(stored);
            param.setSourceSubsampling(step, step, 0, 0);
            return ImageDecoder.toRgb(reader.read(0, param));
        });
        BufferedImage image = ExifOrientation.upright(decoded, orientation);
        // Where the upright image's first pixel lies in the photo: the stored sample that landed at (0, 0).
        int[] first = toDecoded(0, 0, decoded.getWidth(), decoded.getHeight());
        int[] at = toUpright(stored.x + first[0] * step, stored.y + first[1] * step);
        return new Sampled(image, at[0], at[1], step);
    }

    /** The smallest step that brings the photo to at most {@code maxPixels}. */
    int stepFor(long maxPixels) {
        int step = 1;
        while ((long) ceilDiv(storedWidth, step) * ceilDiv(storedHeight, step) > Math.max(1, maxPixels)) {
            step++;
        }
        return step;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /**
     * Pixels read from a photo: the pixel (i, j) of {@code image} is the photo's pixel (x0 + i * step, y0 + j * step).
     */
    public record Sampled(BufferedImage image, int x0, int y0, int step) {

        public double toPhotoX(double x) {
            return x0 + x * step;
        }

        public double toPhotoY(double y) {
            return y0 + y * step;
        }

        public double fromPhotoX(double x) {
            return (x - x0) / step;
        }

        public double fromPhotoY(double y) {
            return (y - y0) / step;
        }
    }

    private Rectangle toStored(Rectangle upright) {
        int[] a = toStoredPoint(upright.x, upright.y);
        int[] b = toStoredPoint(upright.x + upright.width - 1, upright.y + upright.height - 1);
        int x = Math.min(a[0], b[0]);
        int y = Math.min(a[1], b[1]);
        return new Rectangle(x, y, Math.abs(a[0] - b[0]) + 1, Math.abs(a[1] - b[1]) + 1);
    }

    /** The stored pixel that the orientation shows at upright (u, v): the inverse of {@link #toUpright}. */
    private int[] toStoredPoint(int u, int v) {
        return inverse(orientation, u, v, storedWidth, storedHeight);
    }

    /** Where the orientation shows stored pixel (x, y), as {@link ExifOrientation#upright} moves it. */
    private int[] toUpright(int x, int y) {
        int w = storedWidth;
        int h = storedHeight;
        return switch (orientation) {
            case 2 -> new int[] {w - 1 - x, y};
            case 3 -> new int[] {w - 1 - x, h - 1 - y};
            case 4 -> new int[] {x, h - 1 - y};
            case 5 -> new int[] {y, x};
            case 6 -> new int[] {h - 1 - y, x};
            case 7 -> new int[] {h - 1 - y, w - 1 - x};
            case 8 -> new int[] {y, w - 1 - x};
            default -> new int[] {x, y};
        };
    }

    /** The pixel of a decoded (not yet upright) w x h image that lands at upright (u, v). */
    private int[] toDecoded(int u, int v, int w, int h) {
        return inverse(orientation, u, v, w, h);
    }

    private static int[] inverse(int orientation, int u, int v, int w, int h) {
        return switch (orientation) {
            case 2 -> new int[] {w - 1 - u, v};
            case 3 -> new int[] {w - 1 - u, h - 1 - v};
            case 4 -> new int[] {u, h - 1 - v};
            case 5 -> new int[] {v, u};
            case 6 -> new int[] {v, h - 1 - u};
            case 7 -> new int[] {w - 1 - v, h - 1 - u};
            case 8 -> new int[] {w - 1 - v, u};
            default -> new int[] {u, v};
        };
    }

    private interface ReaderWork<T> {
        T apply(ImageReader reader) throws IOException;
    }

    private static <T> T read(byte[] bytes, ImageFormat format, ReaderWork<T> work) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw PhotoRejected.formatNotReadable(format);
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return work.apply(reader);
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
}
