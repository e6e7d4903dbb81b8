package org.homeward.faces;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import org.homeward.models.FaceBox;

/**
 * A face's box as the face and drawn_face tables hold it: its top-left corner and its size, in the upright
 * photo's pixels.
 */
@Embeddable
public record BoxColumns(
        @Column(name = "box_x", nullable = false) int x,
        @Column(name = "box_y", nullable = false) int y,
        @Column(name = "box_width", nullable = false) int width,
        @Column(name = "box_height", nullable = false) int height) {

    public static BoxColumns of(FaceBox box) {
        return new BoxColumns(box.left(), box.top(), box.width(), box.height());
    }

    /** The box as the pipeline takes it (inclusive corners), with a detector's score. */
    public FaceBox toFaceBox(float score) {
        return new FaceBox(x, y, x + width - 1, y + height - 1, score);
    }

    /** Intersection over union with another box: 1 for the same box, 0 for boxes that do not touch. */
    public double overlap(BoxColumns other) {
        long iw = Math.max(0, Math.min(x + width, other.x + other.width) - Math.max(x, other.x));
        long ih = Math.max(0, Math.min(y + height, other.y + other.height) - Math.max(y, other.y));
        long inter = iw * ih;
        long union = (long) width * height + (long) other.width * other.height - inter;
        return union == 0 ? 0 : (double) inter / union;
    }
}
