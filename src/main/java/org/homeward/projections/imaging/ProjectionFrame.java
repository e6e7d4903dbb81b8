package org.homeward.projections.imaging;

import org.homeward.models.Landmarks;

/**
 * The square in which faces are projected: the face turned upright and scaled so that its five landmarks lie
 * as close as they can to dlib's template (the alignment of the embedder's chips), with room around it for
 * the chin to grow. A point of the unit template u lands at (padding + u) / (2 padding + 1) * size.
 */
public record ProjectionFrame(int size, double padding) {

    /**
     * 512 pixels, the unit template padded by half a unit on every side: forehead to below the chin, the face
     * region (the template's unit square) 256 pixels wide, enough to judge a face on a poster.
     */
    public static final ProjectionFrame DEFAULT = new ProjectionFrame(512, 0.5);

    /**
     * dlib's 5-point template in the unit square, in {@link Landmarks}' order (dlib get_face_chip_details;
     * the same values as the embedder package's alignment.template_unit).
     */
    private static final double[] TEMPLATE_UNIT = {
        0.8595674595992, 0.2134981538014, 0.6460604764104, 0.2289674387677, 0.1205750620789, 0.2137274526848,
        0.3340850613712, 0.2290642403242, 0.4901123135679, 0.6277975316475};

    public ProjectionFrame {
        if (size < 32 || !(padding >= 0)) {
            throw new IllegalArgumentException("a frame of " + size + " px with padding " + padding);
        }
    }

    /** dlib's template in the unit square (a copy). */
    public static double[] templateUnit() {
        return TEMPLATE_UNIT.clone();
    }

    /** The template's five points in this frame, x0, y0, ... */
    public double[] template() {
        double[] out = new double[TEMPLATE_UNIT.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (padding + TEMPLATE_UNIT[i]) / (2 * padding + 1) * size;
        }
        return out;
    }

    /** The similarity taking five landmarks of a photo (x0, y0, ...) onto the template: photo to frame. */
    public PlaneSimilarity fromPhoto(double[] five) {
        return PlaneSimilarity.fit(five, template());
    }

    public PlaneSimilarity fromPhoto(Landmarks landmarks) {
        return fromPhoto(flat(landmarks));
    }

    /** The same frame at another size (coordinates scale by other / size). */
    public ProjectionFrame resized(int other) {
        return new ProjectionFrame(other, padding);
    }

    /** Five landmarks as x0, y0, x1, y1, ... */
    public static double[] flat(Landmarks l) {
        double[] out = new double[2 * Landmarks.COUNT];
        for (int i = 0; i < Landmarks.COUNT; i++) {
            out[2 * i] = l.x()[i];
            out[2 * i + 1] = l.y()[i];
        }
        return out;
    }
}
