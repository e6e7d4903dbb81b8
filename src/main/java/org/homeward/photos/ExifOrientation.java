package org.homeward.photos;

import java.awt.image.BufferedImage;

/**
 * Reads a JPEG's EXIF orientation tag and turns the decoded pixels upright, since ImageIO ignores it
 * and a phone photo would otherwise reach the face detector on its side.
 */
final class ExifOrientation {

    private ExifOrientation() {
    }

    /** The EXIF orientation (1..8) of a JPEG, or 1 when there is none or it cannot be read. */
    static int of(byte[] jpeg) {
        int i = 2;
        while (i + 4 <= jpeg.length && (jpeg[i] & 0xff) == 0xFF) {
            int marker = jpeg[i + 1] & 0xff;
            int length = ((jpeg[i + 2] & 0xff) << 8) | (jpeg[i + 3] & 0xff);
            if (marker == 0xDA || length < 2) {
                break;
            }
            if (marker == 0xE1 && i + 10 < jpeg.length && jpeg[i + 4] == 'E' && jpeg[i + 5] == 'x'
                    && jpeg[i + 6] == 'i' && jpeg[i + 7] == 'f') {
                return fromTiff(jpeg, i + 10, Math.min(jpeg.length, i + 2 + length));
            }
            i += 2 + length;
        }
        return 1;
    }

    private static int fromTiff(byte[] b, int tiff, int end) {
        if (tiff + 8 > end) {
            return 1;
        }
        boolean little = b[tiff] == 'I';
        int ifd = tiff + read(b, tiff + 4, 4, little);
        if (ifd + 2 > end || ifd < tiff) {
            return 1;
        }
        int entries = read(b, ifd, 2, little);
        for (int e = 0; e < entries; e++) {
            int entry = ifd + 2 + e * 12;
            if (entry + 12 > end) {
                return 1;
            }
            if (read(b, entry, 2, little) == 0x0112) {
                int value = read(b, entry + 8, 2, little);
                return value >= 1 && value <= 8 ? value : 1;
            }
        }
        return 1;
    }

    private static int read(byte[] b, int at, int n, boolean little) {
        int v = 0;
        for (int k = 0; k < n; k++) {
            int byteValue = b[at + (little ? n - 1 - k : k)] & 0xff;
            v = (v << 8) | byteValue;
        }
        return v;
    }

    /** The image as a person would see it: rotated and/or mirrored per the EXIF orientation. */
    static BufferedImage upright(BufferedImage src, int orientation) {
        if (orientation <= 1) {
            return src;
        }
        int w = src.getWidth();
        int h = src.getHeight();
        boolean swap = orientation >= 5;
        BufferedImage out = new BufferedImage(swap ? h : w, swap ? w : h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int nx;
                int ny;
                switch (orientation) {
                    case 2 -> { nx = w - 1 - x; ny = y; }
                    case 3 -> { nx = w - 1 - x; ny = h - 1 - y; }
                    case 4 -> { nx = x; ny = h - 1 - y; }
                    case 5 -> { nx = y; ny = x; }
                    case 6 -> { nx = h - 1 - y; ny = x; }
                    case 7 -> { nx = h - 1 - y; ny = w - 1 - x; }
                    default -> { nx = y; ny = w - 1 - x; }
                }
                out.setRGB(nx, ny, src.getRGB(x, y));
            }
        }
        return out;
    }
}
