package org.homeward.projections.ageing;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.homeward.models.Landmarks;
import org.homeward.projections.imaging.ColourImage;
import org.homeward.projections.imaging.PhotoPyramid;
import org.homeward.projections.imaging.PlaneSimilarity;
import org.homeward.projections.imaging.ProjectionFrame;
import org.homeward.projections.imaging.TextureBands;
import org.homeward.projections.imaging.ThinPlateSpline;
import org.homeward.projections.imaging.Warp;

/**
 * The default projection, from age-group prototypes ({@link AgePrototypes}); no learned generator. The face is
 * cut into the {@link ProjectionFrame} by its five landmarks; its shape is moved by a thin-plate spline that
 * takes the mean shape at the child's age onto the mean shape at the target age (the prototype difference of
 * Rowland and Perrett, 1995, times the shape weight); then, inside the face, its texture bands are scaled
 * towards the target age's strengths (the texture weight; Tiddeman, Burt and Perrett 2001) and the appearance
 * weight times the difference between the two ages' mean images is added (luma only, each image's mean over the
 * face removed so that brighter or older photos of one group do not count as ageing). Where relatives' adult photos
 * are given ({@link Resemblance}), the adult end also takes after them ({@link RelativeSteering}). Deterministic and
 * thread-safe.
 */
public final class PrototypeProjector implements AgeProjector {

    public static final String METHOD = "age-prototypes";
    public static final int BORDER_ANCHORS_PER_SIDE = 8;
    /** Band strength (luma levels) added to both ends of a ratio, so that flat regions are not scaled by noise. */
    private static final double STRENGTH_FLOOR = 1;

    /**
     * How much of each age change a projection takes: the mean images' difference ({@code appearance}, 0: none), the
     * texture bands' strength ratio ({@code texture}, as a power) and the mean shapes' difference ({@code shape}; above
     * 1 it goes further than the prototypes' mean difference, which under-ages, as Burt and Perrett 1995 found for
     * perceived age) and the growth of the head above the eyes ({@code cranium}, the strain's share: {@link CraniumGrowth}).
     * Each within 0..2.
     */
    public record Weights(double appearance, double texture, double shape, double cranium) {
        public Weights {
            within("appearance", appearance);
            within("texture", texture);
            within("shape", shape);
            within("cranium", cranium);
        }

        private static void within(String what, double w) {
            if (!(w >= 0 && w <= 2)) {
                throw new IllegalArgumentException(what + " weight " + w + " is outside 0..2");
            }
        }

        public Weights withAppearance(double weight) {
            return new Weights(weight, texture, shape, cranium);
        }

        public Weights withCranium(double weight) {
            return new Weights(appearance, texture, shape, weight);
        }
    }

    private final AgePrototypes prototypes;
    private final Model model;
    private final Weights weights;
    private final double appearance;
    private final double texture;

    public PrototypeProjector(AgePrototypes prototypes, String modelId, String version, Weights weights) {
        this.prototypes = prototypes;
        this.model = new Model(modelId, version, METHOD);
        this.weights = weights;
        this.appearance = weights.appearance();
        this.texture = weights.texture();
    }

    public AgePrototypes prototypes() {
        return prototypes;
    }

    public Weights weights() {
        return weights;
    }

    /** The same prototypes with another appearance weight (the evaluation compares them). */
    public PrototypeProjector withAppearance(double weight) {
        return new PrototypeProjector(prototypes, model.id(), model.version(), weights.withAppearance(weight));
    }

    /** The same prototypes with another cranium weight (the evaluation compares them). */
    public PrototypeProjector withCranium(double weight) {
        return new PrototypeProjector(prototypes, model.id(), model.version(), weights.withCranium(weight));
    }

    @Override
    public Model model() {
        return model;
    }

    @Override
    public String ageGroup(double age) {
        return prototypes.groupOf(age).label();
    }

    @Override
    public List<Rendered> project(BufferedImage photo, Landmarks landmarks, double sourceAge, List<Double> targetAges) {
        return project(photo, landmarks, sourceAge, targetAges, Resemblance.NONE);
    }

    /**
     * As {@link #project(BufferedImage, Landmarks, double, List)}, with the adult end steered by the relatives'
     * faces: at each target age, {@code resemblance.at(age)} of their difference from the adult mean is added to
     * the target shape and, inside the face, to the luma.
     */
    @Override
    public List<Rendered> project(BufferedImage photo, Landmarks landmarks, double sourceAge, List<Double> targetAges,
            Resemblance resemblance) {
        PhotoPyramid pyramid = new PhotoPyramid(ColourImage.of(photo));
        RelativeSteering steering = RelativeSteering.of(prototypes, resemblance);
        List<Rendered> out = new ArrayList<>(targetAges.size());
        for (double target : targetAges) {
            double share = steering == null ? 0 : resemblance.at(target);
            out.add(render(pyramid, landmarks, sourceAge, target, share == 0 ? null : steering, share));
        }
        return out;
    }

    @Override
    public boolean takesResemblance() {
        return true;
    }

    @Override
    public BufferedImage sourceFrame(BufferedImage photo, Landmarks landmarks) {
        // the same age at both ends: the warp is the identity and the appearance change zero
        return project(photo, landmarks, 10, List.of(10.0)).get(0).image();
    }

    private Rendered render(PhotoPyramid photo, Landmarks landmarks, double sourceAge, double targetAge,
            RelativeSteering steering, double share) {
        ProjectionFrame frame = prototypes.frame();
        int size = frame.size();
        PlaneSimilarity toFrame = frame.fromPhoto(landmarks);
        PlaneSimilarity toPhoto = toFrame.inverse();
        double[] source = prototypes.shapeAt(sourceAge);
        double[] target = prototypes.shapeAt(targetAge);
        if (weights.shape() != 1) {
            for (int i = 0; i < target.length; i++) {
                target[i] = source[i] + weights.shape() * (target[i] - source[i]);
            }
        }
        if (steering != null) {
            for (int i = 0; i < target.length; i++) {
                target[i] += share * steering.shape()[i];
            }
        }
        double[] anchors = Warp.borderAnchors(size - 1, BORDER_ANCHORS_PER_SIDE);
        double strain = CraniumGrowth.strain(source, target, weights.cranium());
        ThinPlateSpline toSource;
        if (strain == 0) {
            toSource = new ThinPlateSpline(concat(target, anchors), concat(source, anchors), 0);
        } else {
            // Only with a strain are forehead points added: fixed ones would still bend the spline, and v2.1's would change.
            double[][] forehead = CraniumGrowth.foreheadPoints(source, strain);
            double[] read = CraniumGrowth.sourceAnchors(anchors, CraniumGrowth.centre(source), strain);
            toSource = new ThinPlateSpline(concat(concat(target, forehead[0]), anchors),
                    concat(concat(source, forehead[1]), read), 0);
        }
        Warp shape = Warp.of(size, size, toSource);

        ColourImage warped = shape.render(photo, toPhoto, toFrame.scale());
        ColourImage out = sourceAge == targetAge && steering == null ? warped
                : aged(warped, target, sourceAge, targetAge, steering, share);

        double[] moved = toFrame.apply(ProjectionFrame.flat(landmarks));
        int[] five = prototypes.fivePoints();
        for (int i = 0; i < five.length; i++) {
            moved[2 * i] += target[2 * five[i]] - source[2 * five[i]];
            moved[2 * i + 1] += target[2 * five[i] + 1] - source[2 * five[i] + 1];
        }
        return new Rendered(targetAge, ageGroup(targetAge), out.toBufferedImage(), Landmarks.of(moved));
    }

    /**
     * The appearance of the target age on a face already in the target age's shape, inside the face region: each
     * texture band scaled by the ratio of the two ages' band strengths (Tiddeman, Burt and Perrett 2001), then the
     * mean images' difference added. Luma only, added to every channel alike, so a grey photo stays grey.
     */
    private ColourImage aged(ColourImage warped, double[] targetShape, double sourceAge, double targetAge,
            RelativeSteering steering, double share) {
        int size = warped.width();
        int m = prototypes.imageSize();
        Warp toReference = Warp.of(size, size, new ThinPlateSpline(
                concat(targetShape, Warp.borderAnchors(size - 1, BORDER_ANCHORS_PER_SIDE)),
                concat(scaled(prototypes.reference(), (double) m / size), Warp.borderAnchors(m - 1, BORDER_ANCHORS_PER_SIDE)), 0));
        float[] mask = prototypes.mask();
        float[] change = appearance > 0 ? appearanceChange(sourceAge, targetAge) : null;
        float[][] bands = null;
        float[][] from = null;
        float[][] to = null;
        if (texture > 0) {
            bands = TextureBands.of(warped.lumaPlane(), size);
            from = prototypes.textureAt(sourceAge);
            to = prototypes.textureAt(targetAge);
        }
        int t = prototypes.textureSize();
        double toTexture = (double) t / m;
        ColourImage out = new ColourImage(size, size);
        double[] r = new double[2];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                toReference.at(x, y, r);
                float delta = 0;
                if (change != null) {
                    delta += (float) (appearance * bilinear(change, m, r[0], r[1]));
                }
                if (steering != null) {
                    delta += (float) (share * bilinear(steering.luma(), m, r[0], r[1]));
                }
                if (bands != null) {
                    double inside = bilinear(mask, m, r[0], r[1]);
                    if (inside > 0) {
                        double tx = (r[0] + 0.5) * toTexture - 0.5;
                        double ty = (r[1] + 0.5) * toTexture - 0.5;
                        for (int b = 0; b < bands.length; b++) {
                            double gain = gain(bilinear(from[b], t, tx, ty), bilinear(to[b], t, tx, ty));
                            delta += (float) (inside * (gain - 1) * bands[b][y * size + x]);
                        }
                    }
                }
                for (int c = 0; c < 3; c++) {
                    out.set(c, x, y, warped.get(c, x, y) + delta);
                }
            }
        }
        return out;
    }

    /** How much a band is scaled: the strengths' ratio to the power of the texture weight, within 1/4 to 4. */
    private double gain(double fromStrength, double toStrength) {
        double ratio = (toStrength + STRENGTH_FLOOR) / (fromStrength + STRENGTH_FLOOR);
        return Math.max(0.25, Math.min(4, Math.pow(ratio, texture)));
    }

    static double[] scaled(double[] points, double s) {
        double[] out = new double[points.length];
        for (int i = 0; i < points.length; i++) {
            out[i] = points[i] * s;
        }
        return out;
    }

    /**
     * The mean images' luma difference from the source age to the target age, in the reference shape, with each
     * image's mean over the face removed, times the face mask.
     */
    private float[] appearanceChange(double sourceAge, double targetAge) {
        float[] mask = prototypes.mask();
        float[] from = prototypes.lumaAt(sourceAge);
        float[] to = prototypes.lumaAt(targetAge);
        double shift = maskedMean(to, mask) - maskedMean(from, mask);
        float[] out = new float[mask.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (mask[i] * (to[i] - from[i] - shift));
        }
        return out;
    }

    private static double maskedMean(float[] v, float[] mask) {
        double s = 0;
        double w = 0;
        for (int i = 0; i < v.length; i++) {
            s += mask[i] * v[i];
            w += mask[i];
        }
        return w == 0 ? 0 : s / w;
    }

    private static double bilinear(float[] plane, int size, double x, double y) {
        if (x < 0 || y < 0 || x > size - 1 || y > size - 1) {
            return 0;
        }
        int x0 = Math.min(size - 2, (int) x);
        int y0 = Math.min(size - 2, (int) y);
        double fx = x - x0;
        double fy = y - y0;
        int i = y0 * size + x0;
        double top = plane[i] + fx * (plane[i + 1] - plane[i]);
        double bottom = plane[i + size] + fx * (plane[i + size + 1] - plane[i + size]);
        return top + fy * (bottom - top);
    }

    public static double[] concat(double[] a, double[] b) {
        double[] out = new double[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
