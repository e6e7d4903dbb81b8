package org.homeward.faces.pipeline;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import org.homeward.models.FaceBox;
import org.homeward.models.Landmarks;

/**
 * A photo that is only a face (cut from a school photo, a poster, a profile picture) gives dlib's detector no
 * context around the face, and it finds nothing: on lag-train's 100x100 crops it found 118 of 300. Padded by a
 * quarter of its size on every side (edge pixels repeated) and enlarged to at least {@link #MIN_SIDE} px, the same
 * crops gave 300 of 300 (docs/accuracy.md, "Tight crops"). This frames a small photo that way, and maps what is
 * found on the frame back to the photo's own coordinates. Only photos up to {@link #MAX_SIDE} px are framed: a
 * larger photo without a face found is taken to have none.
 */
public record TightCrop(BufferedImage image, int padX, int padY, double scale, int width, int height) {

    /** The longer side, in pixels, up to which a photo with no face found is tried as a tight crop. */
    public static final int MAX_SIDE = 400;
    static final double PADDING = 0.25;
    static final int MIN_SIDE = 300;
    static final double MAX_SCALE = 4;

    public static boolean applies(BufferedImage photo) {
        return Math.max(photo.getWidth(), photo.getHeight()) <= MAX_SIDE;
    }

    /** The photo padded (edges repeated) and enlarged (bilinear). */
    public static TightCrop frame(BufferedImage photo) {
        int w = photo.getWidth();
        int h = photo.getHeight();
        int px = (int) Math.round(w * PADDING);
        int py = (int) Math.round(h * PADDING);
        int pw = w + 2 * px;
        int ph = h + 2 * py;
        BufferedImage padded = new BufferedImage(pw, ph, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[pw];
        for (int y = 0; y < ph; y++) {
            int sy = Math.min(h - 1, Math.max(0, y - py));
            for (int x = 0; x < pw; x++) {
                row[x] = photo.getRGB(Math.min(w - 1, Math.max(0, x - px)), sy);
            }
            padded.setRGB(0, y, pw, 1, row, 0, pw);
        }
        double scale = Math.min(MAX_SCALE, Math.max(1, (double) MIN_SIDE / Math.min(pw, ph)));
        if (scale == 1) {
            return new TightCrop(padded, px, py, 1, w, h);
        }
        BufferedImage big = new BufferedImage((int) Math.round(pw * scale), (int) Math.round(ph * scale), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = big.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(padded, 0, 0, big.getWidth(), big.getHeight(), null);
        g.dispose();
        return new TightCrop(big, px, py, (double) big.getWidth() / pw, w, h);
    }

    /** A box found on the frame, in the photo's coordinates (clipped to it). */
    public FaceBox toPhoto(FaceBox b) {
        return new FaceBox(clip(x(b.left()), width), clip(y(b.top()), height), clip(x(b.right() + 1) - 1, width),
                clip(y(b.bottom() + 1) - 1, height), b.score());
    }

    /** Landmarks placed on the frame, in the photo's coordinates (not clipped: a point may lie outside a crop). */
    public Landmarks toPhoto(Landmarks l) {
        return l.map(x -> x / scale - padX, y -> y / scale - padY);
    }

    private int x(int framed) {
        return (int) Math.round(framed / scale) - padX;
    }

    private int y(int framed) {
        return (int) Math.round(framed / scale) - padY;
    }

    private static int clip(int v, int size) {
        return Math.max(0, Math.min(size - 1, v));
    }
}
