package org.homeward.projections.ageing;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.homeward.models.Landmarks;
import org.homeward.projections.imaging.ColourImage;
import org.homeward.projections.imaging.PhotoPyramid;
import org.homeward.projections.imaging.PlaneSimilarity;
import org.homeward.projections.imaging.ProjectionFrame;
import org.homeward.projections.imaging.ThinPlateSpline;
import org.homeward.projections.imaging.Warp;

/**
 * The default projection, from age-group prototypes ({@link AgePrototypes}); no learned generator. The face is
 * cut into the {@link ProjectionFrame} by its five landmarks; its shape is moved by a thin-plate spline that
 * takes the mean shape at the child's age onto the mean shape at the target age (the prototype difference of
 * Rowland and Perrett, 1995); then, when {@code appearance} is above 0, the difference between the two ages'
 * mean images (luma only, each image's mean over the face removed so that brighter or older photos of one
 * group do not count as ageing) is added inside the face. Deterministic and thread-safe.
 */
public final class PrototypeProjector implements AgeProjector {

    public static final String METHOD = "age-prototypes";
    public static final int BORDER_ANCHORS_PER_SIDE = 8;

    private final AgePrototypes prototypes;
    private final String modelId;
    private final String version;
    private final double appearance;

    public PrototypeProjector(AgePrototypes prototypes, String modelId, String version, double appearance) {
        if (!(appearance >= 0 && appearance <= 2)) {
            throw new IllegalArgumentException("appearance weight " + appearance + " is outside 0..2");
        }
        this.prototypes = prototypes;
        this.modelId = modelId;
        this.version = version;
        this.appearance = appearance;
    }

    public AgePrototypes prototypes() {
        return prototypes;
    }

    /** How much of the mean images' difference is added (0: shape only). */
    public double appearance() {
        return appearance;
    }

    /** The same prototypes with another appearance weight (the evaluation compares them). */
    public PrototypeProjector withAppearance(double weight) {
        return new PrototypeProjector(prototypes, modelId, version, weight);
    }

    @Override
    public String modelId() {
        return modelId;
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public String method() {
        return METHOD;
    }

    @Override
    public String ageGroup(double age) {
        return prototypes.groupOf(age).label();
    }

    @Override
    public List<Rendered> project(BufferedImage photo, Landmarks landmarks, double sourceAge, List<Double> targetAges) {
        PhotoPyramid pyramid = new PhotoPyramid(ColourImage.of(photo));
        List<Rendered> out = new ArrayList<>(targetAges.size());
        for (double target : targetAges) {
            out.add(render(pyramid, landmarks, sourceAge, target));
        }
        return out;
    }

    @Override
    public BufferedImage sourceFrame(BufferedImage photo, Landmarks landmarks) {
        // the same age at both ends: the warp is the identity and the appearance change zero
        return project(photo, landmarks, 10, List.of(10.0)).get(0).image();
    }

    private Rendered render(PhotoPyramid photo, Landmarks landmarks, double sourceAge, double targetAge) {
        ProjectionFrame frame = prototypes.frame();
        int size = frame.size();
        PlaneSimilarity toFrame = frame.fromPhoto(landmarks);
        PlaneSimilarity toPhoto = toFrame.inverse();
        double[] source = prototypes.shapeAt(sourceAge);
        double[] target = prototypes.shapeAt(targetAge);
        double[] anchors = Warp.borderAnchors(size - 1, BORDER_ANCHORS_PER_SIDE);
        Warp shape = Warp.of(size, size, new ThinPlateSpline(concat(target, anchors), concat(source, anchors), 0));

        int m = prototypes.imageSize();
        float[] change = appearance > 0 ? appearanceChange(sourceAge, targetAge) : null;
        Warp toReference = null;
        if (change != null) {
            double s = (double) m / size;
            double[] reference = prototypes.reference();
            double[] scaledReference = new double[reference.length];
            for (int i = 0; i < reference.length; i++) {
                scaledReference[i] = reference[i] * s;
            }
            double[] scaledAnchors = Warp.borderAnchors(m - 1, BORDER_ANCHORS_PER_SIDE);
            toReference = Warp.of(size, size, new ThinPlateSpline(concat(target, anchors),
                    concat(scaledReference, scaledAnchors), 0));
        }

        ColourImage out = new ColourImage(size, size);
        double[] p = new double[2];
        double[] r = new double[2];
        float[] rgb = new float[3];
        double scale = toFrame.scale();
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                shape.at(x, y, p);
                photo.sample(toPhoto.x(p[0], p[1]), toPhoto.y(p[0], p[1]), scale, rgb);
                float delta = 0;
                if (change != null) {
                    toReference.at(x, y, r);
                    delta = (float) (appearance * bilinear(change, m, r[0], r[1]));
                }
                for (int c = 0; c < 3; c++) {
                    out.set(c, x, y, rgb[c] + delta);
                }
            }
        }

        double[] moved = toFrame.apply(ProjectionFrame.flat(landmarks));
        int[] five = prototypes.fivePoints();
        for (int i = 0; i < five.length; i++) {
            moved[2 * i] += target[2 * five[i]] - source[2 * five[i]];
            moved[2 * i + 1] += target[2 * five[i] + 1] - source[2 * five[i] + 1];
        }
        return new Rendered(targetAge, ageGroup(targetAge), out.toBufferedImage(), Landmarks.of(moved));
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
