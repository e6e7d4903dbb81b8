package org.homeward.faces.pipeline;

import java.awt.Rectangle;
import org.homeward.models.FaceBox;
import org.homeward.models.Landmarks;
import org.homeward.photos.PhotoPixels;

/**
 * The part of a large photo that one face needs, and the moves between its coordinates and the photo's. The
 * region is the face's box grown by a box on every side: room for the landmark predictor's reach and for the
 * rotated chip and its pyramid filters, so a face read this way gets the landmarks and chip it would get from the
 * whole photo (LargePhotoTest compares them).
 */
public final class FaceRegion {

    /** How far the region reaches beyond the box on each side, in box sizes. */
    static final double REACH = 1.0;
    /** How far a region read around landmarks reaches beyond their span, in spans. */
    static final double LANDMARK_REACH = 3.0;
    /** The longest side a region is read at; a larger face is thinned out (its chip is far smaller anyway). */
    static final int MAX_SIDE = 2400;

    private FaceRegion() {
    }

    /** The face's region of the photo, at full resolution unless it is larger than {@link #MAX_SIDE}. */
    public static PhotoPixels.Sampled read(PhotoPixels photo, FaceBox box) {
        return readRegion(photo, around(box, REACH, photo.width(), photo.height()));
    }

    /**
     * The region around a face known by its landmarks alone (a projection's source): the landmarks span about half a
     * face, so the region reaches {@link #LANDMARK_REACH} of their span beyond them.
     */
    public static PhotoPixels.Sampled readAround(PhotoPixels photo, Landmarks l) {
        double minX = Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (int i = 0; i < Landmarks.COUNT; i++) {
            minX = Math.min(minX, l.x()[i]);
            maxX = Math.max(maxX, l.x()[i]);
            minY = Math.min(minY, l.y()[i]);
            maxY = Math.max(maxY, l.y()[i]);
        }
        // a square on the landmarks' centre: they may lie nearly on a line (a face in profile)
        double side = Math.max(maxX - minX, maxY - minY);
        int cx = (int) Math.round((minX + maxX) / 2);
        int cy = (int) Math.round((minY + maxY) / 2);
        int half = (int) Math.ceil(side / 2);
        FaceBox span = new FaceBox(cx - half, cy - half, cx + half, cy + half, 0f);
        return readRegion(photo, around(span, LANDMARK_REACH, photo.width(), photo.height()));
    }

    private static PhotoPixels.Sampled readRegion(PhotoPixels photo, Rectangle region) {
        int step = Math.max(1, (int) Math.ceil(Math.max(region.width, region.height) / (double) MAX_SIDE));
        return photo.sample(region, step);
    }

    /** The box grown by {@code reach} box sizes on each side, clipped to a {@code width} x {@code height} photo. */
    public static Rectangle around(FaceBox box, double reach, int width, int height) {
        int mx = (int) Math.ceil(box.width() * reach);
        int my = (int) Math.ceil(box.height() * reach);
        int x0 = Math.max(0, box.left() - mx);
        int y0 = Math.max(0, box.top() - my);
        int x1 = Math.min(width, box.right() + 1 + mx);
        int y1 = Math.min(height, box.bottom() + 1 + my);
        return new Rectangle(x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0));
    }

    /** A box found on sampled pixels, in the photo's coordinates (clipped to its {@code width} x {@code height}). */
    public static FaceBox toPhoto(PhotoPixels.Sampled s, FaceBox b, int width, int height) {
        return new FaceBox(clip(s.toPhotoX(b.left()), width), clip(s.toPhotoY(b.top()), height),
                clip(s.toPhotoX(b.right() + 1) - 1, width), clip(s.toPhotoY(b.bottom() + 1) - 1, height), b.score());
    }

    /** A box of the photo in the sampled pixels' coordinates. */
    public static FaceBox fromPhoto(PhotoPixels.Sampled s, FaceBox b) {
        return new FaceBox((int) Math.round(s.fromPhotoX(b.left())), (int) Math.round(s.fromPhotoY(b.top())),
                (int) Math.round(s.fromPhotoX(b.right() + 1)) - 1, (int) Math.round(s.fromPhotoY(b.bottom() + 1)) - 1,
                b.score());
    }

    public static Landmarks toPhoto(PhotoPixels.Sampled s, Landmarks l) {
        return l.map(s::toPhotoX, s::toPhotoY);
    }

    public static Landmarks fromPhoto(PhotoPixels.Sampled s, Landmarks l) {
        return l.map(s::fromPhotoX, s::fromPhotoY);
    }

    private static int clip(double v, int size) {
        return (int) Math.max(0, Math.min(size - 1, Math.round(v)));
    }
}
