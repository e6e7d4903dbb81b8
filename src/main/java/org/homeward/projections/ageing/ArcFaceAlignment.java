package org.homeward.projections.ageing;

import java.awt.image.BufferedImage;
import org.homeward.models.Landmarks;
import org.homeward.projections.imaging.ColourImage;
import org.homeward.projections.imaging.PhotoPyramid;
import org.homeward.projections.imaging.PlaneSimilarity;
import org.homeward.projections.imaging.ProjectionFrame;

/**
 * The 112 x 112 alignment of ArcFace-family models (InsightFace's 5-point template), which MTLFace reads. dlib's
 * landmarks have no mouth corners, so the face is placed by its two eye centres alone: each eye's centre (the
 * mean of its two corners) goes exactly onto the template's eye. Pixels are scaled to [-1, 1] as MTLFace's
 * transform does (mean 0.5, standard deviation 0.5 on [0, 1]).
 */
public final class ArcFaceAlignment {

    public static final int SIZE = 112;

    /** InsightFace's 112 x 112 template: image-left eye, image-right eye, nose tip, mouth corners. */
    static final double[] TEMPLATE = {38.2946, 51.6963, 73.5318, 51.5014, 56.0252, 71.7366, 41.5493, 92.3655, 70.7299, 92.2041};

    private ArcFaceAlignment() {
    }

    /** The similarity taking the face's eye centres onto the template's. */
    static PlaneSimilarity toTemplate(Landmarks l) {
        double[] eyes = {(l.x()[2] + l.x()[3]) / 2, (l.y()[2] + l.y()[3]) / 2, (l.x()[0] + l.x()[1]) / 2,
            (l.y()[0] + l.y()[1]) / 2};
        return PlaneSimilarity.fit(eyes, new double[] {TEMPLATE[0], TEMPLATE[1], TEMPLATE[2], TEMPLATE[3]});
    }

    /** The aligned face, SIZE x SIZE RGB. */
    public static ColourImage align(BufferedImage photo, Landmarks landmarks) {
        PlaneSimilarity toFrame = toTemplate(landmarks);
        PlaneSimilarity toPhoto = toFrame.inverse();
        PhotoPyramid pyramid = new PhotoPyramid(ColourImage.of(photo));
        ColourImage out = new ColourImage(SIZE, SIZE);
        float[] rgb = new float[3];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                pyramid.sample(toPhoto.x(x, y), toPhoto.y(x, y), toFrame.scale(), rgb);
                for (int c = 0; c < 3; c++) {
                    out.set(c, x, y, rgb[c]);
                }
            }
        }
        return out;
    }

    /** The generator's input: [3 x SIZE x SIZE] RGB planes, x / 127.5 - 1. */
    public static float[] input(ColourImage aligned) {
        int plane = SIZE * SIZE;
        float[] out = new float[3 * plane];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    out[c * plane + y * SIZE + x] = aligned.get(c, x, y) / 127.5f - 1f;
                }
            }
        }
        return out;
    }

    /** A generator's output ([3 x SIZE x SIZE] in [-1, 1]) as an 8-bit RGB image; values outside are clamped. */
    public static BufferedImage image(float[] chw) {
        int plane = SIZE * SIZE;
        ColourImage out = new ColourImage(SIZE, SIZE);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    float v = Math.max(-1f, Math.min(1f, chw[c * plane + y * SIZE + x]));
                    out.set(c, x, y, (v + 1f) * 127.5f);
                }
            }
        }
        return out.toBufferedImage();
    }

    /**
     * Where dlib's five landmarks lie on an aligned face: dlib's template placed by the same eye centres, so the
     * embedder can cut its chip from a generator's output.
     */
    public static Landmarks landmarks() {
        double[] unit = ProjectionFrame.templateUnit();
        double[] unitEyes = {(unit[4] + unit[6]) / 2, (unit[5] + unit[7]) / 2, (unit[0] + unit[2]) / 2, (unit[1] + unit[3]) / 2};
        PlaneSimilarity s = PlaneSimilarity.fit(unitEyes, new double[] {TEMPLATE[0], TEMPLATE[1], TEMPLATE[2], TEMPLATE[3]});
        return Landmarks.of(s.apply(unit));
    }
}
