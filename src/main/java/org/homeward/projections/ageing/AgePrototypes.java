package org.homeward.projections.ageing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.homeward.projections.imaging.ColourImage;
import org.homeward.projections.imaging.ProjectionFrame;
import org.homeward.projections.imaging.TextureBands;

/**
 * What the default projection knows about faces at each age: per age group, the mean of its faces' 68
 * annotated points (in a {@link ProjectionFrame}), the mean of its faces' pixels after each face was
 * warped onto one reference shape (so the mean image is sharp where faces agree), and the mean strength of
 * their texture at each scale (so that an older age's skin detail is known even where the mean image blurs it). Between groups, shapes and
 * images are interpolated linearly in age. Only these means are kept: no photo of a person. Immutable.
 */
public final class AgePrototypes {

    /**
     * One age group: its ages (inclusive), the mean age of its photos, how many photos and people it averages,
     * its mean shape (x0, y0, ... in the frame), its mean image (in the reference shape, {@link #imageSize()}
     * pixels square) and its texture: per {@link TextureBands} band, the mean of its faces' band strengths (in the
     * reference shape, {@link #textureSize()} pixels square).
     */
    public record Group(String label, int minAge, int maxAge, double meanAge, int photos, int identities,
            double[] shape, ColourImage image, float[][] texture) {
        public Group {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(texture, "texture");
        }
    }

    private final ProjectionFrame frame;
    private final int imageSize;
    private final int textureSize;
    private final int[] fivePoints;
    private final double[] reference;
    private final List<Group> groups;
    private final float[] mask;
    private final float[][] lumas;

    public AgePrototypes(ProjectionFrame frame, int imageSize, int textureSize, int[] fivePoints, double[] reference,
            List<Group> groups) {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("no age group");
        }
        if (fivePoints.length != 5) {
            throw new IllegalArgumentException("five landmark indices expected");
        }
        this.frame = frame;
        this.imageSize = imageSize;
        this.textureSize = textureSize;
        this.fivePoints = fivePoints.clone();
        this.reference = reference.clone();
        List<Group> sorted = new ArrayList<>(groups);
        sorted.sort(Comparator.comparingDouble(Group::meanAge));
        for (Group g : sorted) {
            if (g.shape().length != reference.length) {
                throw new IllegalArgumentException("group " + g.label() + " has " + g.shape().length / 2 + " points, "
                        + reference.length / 2 + " expected");
            }
            if (g.image().width() != imageSize || g.image().height() != imageSize) {
                throw new IllegalArgumentException("group " + g.label() + "'s image is not " + imageSize + " px square");
            }
            if (g.texture().length != TextureBands.COUNT
                    || Arrays.stream(g.texture()).anyMatch(b -> b.length != textureSize * textureSize)) {
                throw new IllegalArgumentException("group " + g.label() + "'s texture is not " + TextureBands.COUNT + " bands of "
                        + textureSize + " px square");
            }
        }
        this.groups = List.copyOf(sorted);
        this.mask = FaceMask.of(reference, frame.size(), imageSize);
        this.lumas = new float[sorted.size()][];
        for (int k = 0; k < sorted.size(); k++) {
            lumas[k] = sorted.get(k).image().lumaPlane();
        }
    }

    public ProjectionFrame frame() {
        return frame;
    }

    public int imageSize() {
        return imageSize;
    }

    /** The texture strengths' size: they vary slowly, so a quarter of the frame. */
    public int textureSize() {
        return textureSize;
    }

    /** Which of the 68 points are dlib's five landmarks, in {@link org.homeward.models.Landmarks}' order. */
    public int[] fivePoints() {
        return fivePoints.clone();
    }

    public int points() {
        return reference.length / 2;
    }

    /** The shape every mean image is drawn in: the mean of the groups' mean shapes. */
    public double[] reference() {
        return reference.clone();
    }

    public List<Group> groups() {
        return groups;
    }

    /** The face region of the reference shape (1 inside, fading to 0 at its edge), imageSize x imageSize. */
    float[] mask() {
        return mask;
    }

    /** The group whose ages contain {@code age} (rounded down), or the nearest one. */
    public Group groupOf(double age) {
        Group best = groups.get(0);
        for (Group g : groups) {
            if (age >= g.minAge() && age < g.maxAge() + 1) {
                return g;
            }
            if (Math.abs(g.meanAge() - age) < Math.abs(best.meanAge() - age)) {
                best = g;
            }
        }
        return best;
    }

    /** The mean shape at an age: interpolated between the groups' mean ages, the first or last beyond them. */
    public double[] shapeAt(double age) {
        double[] out = new double[reference.length];
        blend(age, (k, w) -> {
            double[] s = groups.get(k).shape();
            for (int i = 0; i < out.length; i++) {
                out[i] += w * s[i];
            }
        });
        return out;
    }

    /** The mean image's luma at an age, interpolated like {@link #shapeAt(double)}; imageSize x imageSize. */
    float[] lumaAt(double age) {
        float[] out = new float[imageSize * imageSize];
        blend(age, (k, w) -> {
            float[] l = lumas[k];
            for (int i = 0; i < out.length; i++) {
                out[i] += (float) (w * l[i]);
            }
        });
        return out;
    }

    /** The band strengths at an age, interpolated like {@link #shapeAt(double)}; textureSize x textureSize each. */
    float[][] textureAt(double age) {
        float[][] out = new float[TextureBands.COUNT][textureSize * textureSize];
        blend(age, (k, w) -> {
            float[][] t = groups.get(k).texture();
            for (int b = 0; b < out.length; b++) {
                for (int i = 0; i < out[b].length; i++) {
                    out[b][i] += (float) (w * t[b][i]);
                }
            }
        });
        return out;
    }

    private interface Weighted {
        void add(int group, double weight);
    }

    private void blend(double age, Weighted into) {
        int n = groups.size();
        if (age <= groups.get(0).meanAge()) {
            into.add(0, 1);
            return;
        }
        for (int k = 0; k + 1 < n; k++) {
            double a = groups.get(k).meanAge();
            double b = groups.get(k + 1).meanAge();
            if (age <= b) {
                double t = (age - a) / (b - a);
                into.add(k, 1 - t);
                into.add(k + 1, t);
                return;
            }
        }
        into.add(n - 1, 1);
    }
}
