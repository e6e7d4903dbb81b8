package org.homeward.projections.ageing;

import org.homeward.projections.imaging.ColourImage;
import org.homeward.projections.imaging.PhotoPyramid;
import org.homeward.projections.imaging.PlaneSimilarity;
import org.homeward.projections.imaging.ProjectionFrame;
import org.homeward.projections.imaging.TextureBands;
import org.homeward.projections.imaging.ThinPlateSpline;
import org.homeward.projections.imaging.Warp;

/**
 * How the case's relatives differ from the adult mean, in the prototypes' coordinates: a shape difference for the 68
 * points (in the frame) and a luma difference inside the face (in the reference shape). A relative's face is known
 * by its five landmarks only, so its shape is the adult mean shape moved by a thin-plate spline that takes the
 * mean's five points onto the relative's (after a similarity, so size, tilt and place do not count); its luma is
 * read through that shape. The luma difference keeps the scale of features: it loses what varies over more than
 * about a quarter of the face (the photo's lighting) and what is finer than a few pixels (spectacle frames,
 * highlights, grain), none of which is the person.
 *
 * @param shape per point of the 68, x then y, added to the target shape (frame pixels)
 * @param luma imageSize x imageSize, added inside the face (luma levels)
 */
record RelativeSteering(double[] shape, float[] luma) {

    /** The age a relative's adult photo is compared with (the prototypes' adult end). */
    static final double RELATIVE_AGE = 30;
    /** Radius of the blur whose content (lighting over the face) is taken out of the luma difference, in reference pixels. */
    private static final int LIGHTING_RADIUS = 12;
    /**
     * Radius of the blur that keeps features (brows, eyes, nose and mouth shading, about 5-15 reference pixels) and
     * drops fine detail: spectacle frames, highlights, make-up lines and the photo's grain are not the person's.
     */
    private static final int DETAIL_RADIUS = 2;

    /** The relatives' differences, averaged; null when there are none. */
    static RelativeSteering of(AgePrototypes prototypes, Resemblance resemblance) {
        if (resemblance.none()) {
            return null;
        }
        int m = prototypes.imageSize();
        double[] shape = new double[2 * prototypes.points()];
        float[] luma = new float[m * m];
        for (Resemblance.Relative r : resemblance.relatives()) {
            RelativeSteering one = ofOne(prototypes, r);
            for (int i = 0; i < shape.length; i++) {
                shape[i] += one.shape[i] / resemblance.relatives().size();
            }
            for (int i = 0; i < luma.length; i++) {
                luma[i] += one.luma[i] / resemblance.relatives().size();
            }
        }
        return new RelativeSteering(shape, luma);
    }

    private static RelativeSteering ofOne(AgePrototypes prototypes, Resemblance.Relative relative) {
        ProjectionFrame frame = prototypes.frame();
        int size = frame.size();
        int m = prototypes.imageSize();
        double[] adult = prototypes.shapeAt(RELATIVE_AGE);
        int[] five = prototypes.fivePoints();
        double[] adultFive = new double[2 * five.length];
        for (int i = 0; i < five.length; i++) {
            adultFive[2 * i] = adult[2 * five[i]];
            adultFive[2 * i + 1] = adult[2 * five[i] + 1];
        }
        PlaneSimilarity toFrame = PlaneSimilarity.fit(ProjectionFrame.flat(relative.landmarks()), adultFive);
        double[] relativeFive = toFrame.apply(ProjectionFrame.flat(relative.landmarks()));
        double[] anchors = Warp.borderAnchors(size - 1, PrototypeProjector.BORDER_ANCHORS_PER_SIDE);
        ThinPlateSpline moved = new ThinPlateSpline(PrototypeProjector.concat(adultFive, anchors),
                PrototypeProjector.concat(relativeFive, anchors), 0);
        double[] relativeShape = new double[adult.length];
        double[] shape = new double[adult.length];
        for (int i = 0; i < adult.length; i += 2) {
            relativeShape[i] = moved.x(adult[i], adult[i + 1]);
            relativeShape[i + 1] = moved.y(adult[i], adult[i + 1]);
            shape[i] = relativeShape[i] - adult[i];
            shape[i + 1] = relativeShape[i + 1] - adult[i + 1];
        }

        double toReference = (double) m / size;
        double[] reference = PrototypeProjector.scaled(prototypes.reference(), toReference);
        Warp fromReference = Warp.of(m, m, new ThinPlateSpline(
                PrototypeProjector.concat(reference, Warp.borderAnchors(m - 1, PrototypeProjector.BORDER_ANCHORS_PER_SIDE)),
                PrototypeProjector.concat(relativeShape, anchors), 0));
        ColourImage face = fromReference.render(new PhotoPyramid(ColourImage.of(relative.photo())), toFrame.inverse(),
                toFrame.scale() * toReference);
        float[] own = face.lumaPlane();
        float[] mean = prototypes.lumaAt(RELATIVE_AGE);
        float[] mask = prototypes.mask();
        float[] difference = new float[m * m];
        for (int i = 0; i < difference.length; i++) {
            difference[i] = mask[i] * (own[i] - mean[i]);
        }
        float[] lighting = TextureBands.blur(difference, m, LIGHTING_RADIUS);
        float[] features = TextureBands.blur(difference, m, DETAIL_RADIUS);
        float[] luma = new float[m * m];
        for (int i = 0; i < luma.length; i++) {
            luma[i] = mask[i] * (features[i] - lighting[i]);
        }
        return new RelativeSteering(shape, luma);
    }
}
