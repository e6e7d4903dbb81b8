package org.homeward.tools.projections;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.homeward.projections.ageing.AgePrototypes;
import org.homeward.projections.ageing.PrototypePackage;
import org.homeward.projections.ageing.PrototypeProjector;
import org.homeward.projections.imaging.ColourImage;
import org.homeward.projections.imaging.PhotoPyramid;
import org.homeward.projections.imaging.PlaneSimilarity;
import org.homeward.projections.imaging.ProjectionFrame;
import org.homeward.projections.imaging.TextureBands;
import org.homeward.projections.imaging.ThinPlateSpline;
import org.homeward.projections.imaging.Warp;

/**
 * Builds {@link AgePrototypes} from annotated photos: each face is aligned into the {@link ProjectionFrame} by
 * its five landmark points, faces are grouped by age, and each group keeps the mean of its shapes and the
 * mean of its pixels and of its texture bands' strengths (every face first warped onto the reference shape). A group with too few photos or
 * people is merged into its neighbour, so that no mean shows one person. Deterministic: the same photos
 * in the same order give the same bytes.
 */
public final class PrototypeBuilder {

    /** The age groups asked for (inclusive years); FG-NET's dev half fills each with 20 to 46 photos. */
    public static final int[][] AGE_GROUPS = {{0, 1}, {2, 3}, {4, 5}, {6, 7}, {8, 9}, {10, 11}, {12, 13}, {14, 15},
        {16, 17}, {18, 20}, {21, 25}, {26, 32}, {33, 44}, {45, 120}};

    /** The fewest photos and people a group may average. */
    public record Rules(int minPhotos, int minIdentities) {
        public static final Rules DEFAULT = new Rules(PrototypePackage.MIN_PHOTOS, PrototypePackage.MIN_IDENTITIES);
    }

    /** The mean images' size for a frame: the appearance change is smooth, so half the frame is enough. */
    public static int imageSize(ProjectionFrame frame) {
        return frame.size() / 2;
    }

    private PrototypeBuilder() {
    }

    public static AgePrototypes build(List<AnnotatedPhoto> photos, ProjectionFrame frame, Rules rules) {
        int points = -1;
        List<Aligned> aligned = new ArrayList<>();
        for (AnnotatedPhoto p : photos) {
            if (points < 0) {
                points = p.points().length / 2;
            }
            if (p.points().length / 2 != points || points <= AnnotatedPhoto.FGNET_FIVE[2]) {
                throw new IllegalArgumentException(p.image() + ": " + p.points().length / 2 + " points, "
                        + Math.max(points, 68) + " expected (FG-NET's 68-point scheme)");
            }
            PlaneSimilarity toFrame = frame.fromPhoto(p.five(AnnotatedPhoto.FGNET_FIVE));
            aligned.add(new Aligned(p, toFrame, toFrame.apply(p.points()), aligned.size()));
        }
        List<Bin> bins = new ArrayList<>();
        for (int[] g : AGE_GROUPS) {
            Bin b = new Bin(g[0], g[1]);
            for (Aligned a : aligned) {
                if (a.photo.age() >= g[0] && a.photo.age() < g[1] + 1) {
                    b.members.add(a);
                }
            }
            bins.add(b);
        }
        bins.removeIf(b -> b.members.isEmpty());
        merge(bins, rules);

        int n = 2 * points;
        List<double[]> shapes = new ArrayList<>();
        double[] reference = new double[n];
        for (Bin b : bins) {
            double[] mean = new double[n];
            for (Aligned a : b.members) {
                for (int i = 0; i < n; i++) {
                    mean[i] += a.shape[i] / b.members.size();
                }
            }
            shapes.add(mean);
            for (int i = 0; i < n; i++) {
                reference[i] += mean[i] / bins.size();
            }
        }
        reference = rounded(reference);
        List<AgePrototypes.Group> groups = new ArrayList<>();
        for (int k = 0; k < bins.size(); k++) {
            Bin b = bins.get(k);
            double meanAge = b.members.stream().mapToDouble(a -> a.photo.age()).average().orElseThrow();
            Set<String> people = new LinkedHashSet<>();
            b.members.forEach(a -> people.add(a.photo.identity()));
            groups.add(group(b, Math.round(meanAge * 1000) / 1000.0, people.size(), rounded(shapes.get(k)), reference, frame));
        }
        return new AgePrototypes(frame, imageSize(frame), textureSize(frame), AnnotatedPhoto.FGNET_FIVE, reference, groups);
    }

    /** Merges groups that break the rules into a neighbour (the smaller one) until every group keeps them. */
    private static void merge(List<Bin> bins, Rules rules) {
        while (true) {
            Bin worst = null;
            for (Bin b : bins) {
                if (!b.keeps(rules) && (worst == null || b.members.size() < worst.members.size())) {
                    worst = b;
                }
            }
            if (worst == null) {
                return;
            }
            if (bins.size() == 1) {
                throw new IllegalArgumentException("too few photos to build age prototypes: " + worst.members.size()
                        + " photos of " + worst.identities() + " people in all; each age group needs at least "
                        + rules.minPhotos() + " photos of " + rules.minIdentities() + " people");
            }
            int k = bins.indexOf(worst);
            Bin before = k > 0 ? bins.get(k - 1) : null;
            Bin after = k + 1 < bins.size() ? bins.get(k + 1) : null;
            Bin into = before == null ? after : after == null ? before
                    : before.members.size() <= after.members.size() ? before : after;
            Bin merged = new Bin(Math.min(into.min, worst.min), Math.max(into.max, worst.max));
            // keep the photos in input order whatever the merge order
            for (Bin b : bins) {
                if (b == into || b == worst) {
                    merged.members.addAll(b.members);
                }
            }
            merged.members.sort((x, y) -> Integer.compare(x.order(), y.order()));
            int at = Math.min(bins.indexOf(into), k);
            bins.remove(into);
            bins.remove(worst);
            bins.add(at, merged);
        }
    }

    /**
     * A group's mean image and mean texture: every member warped from its own shape onto the reference shape at the
     * frame's full size (the texture bands' scales are the frame's pixels, as the projector sees them), its pixels
     * averaged at half that size and its band strengths at a quarter.
     */
    private static AgePrototypes.Group group(Bin b, double meanAge, int identities, double[] shape, double[] reference,
            ProjectionFrame frame) {
        int size = frame.size();
        int m = imageSize(frame);
        int t = textureSize(frame);
        double[] anchors = Warp.borderAnchors(size - 1, PrototypeProjector.BORDER_ANCHORS_PER_SIDE);
        double[] from = PrototypeProjector.concat(reference, anchors);
        double[][] pixels = new double[3][m * m];
        double[][] strengths = new double[TextureBands.COUNT][t * t];
        for (Aligned a : b.members) {
            ColourImage warped = warped(a, new ThinPlateSpline(from, PrototypeProjector.concat(a.shape, anchors), 0), size);
            ColourImage half = warped.halved();
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < m * m; i++) {
                    pixels[c][i] += half.get(c, i % m, i / m);
                }
            }
            float[][] own = TextureBands.strengths(TextureBands.of(warped.lumaPlane(), size), size, t);
            for (int k = 0; k < own.length; k++) {
                for (int i = 0; i < t * t; i++) {
                    strengths[k][i] += own[k][i];
                }
            }
        }
        int n = b.members.size();
        ColourImage image = new ColourImage(m, m);
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < m * m; i++) {
                // 8-bit, as the package stores it, so a build in memory equals the package read back
                image.set(c, i % m, i / m, Math.max(0, Math.min(255, Math.round(pixels[c][i] / n))));
            }
        }
        float[][] texture = new float[TextureBands.COUNT][t * t];
        for (int k = 0; k < texture.length; k++) {
            for (int i = 0; i < t * t; i++) {
                texture[k][i] = PrototypePackage.quantisedStrength(strengths[k][i] / n);
            }
        }
        return new AgePrototypes.Group(b.label(), b.min, b.max, meanAge, n, identities, shape, image, texture);
    }

    /** A member's photo in the reference shape: each frame pixel read where {@code toOwnShape} takes it. */
    private static ColourImage warped(Aligned a, ThinPlateSpline toOwnShape, int size) {
        return Warp.of(size, size, toOwnShape).render(new PhotoPyramid(ColourImage.of(a.photo.read())),
                a.toFrame.inverse(), a.toFrame.scale());
    }

    /** The texture strengths' size for a frame: they vary slowly, so a quarter of it. */
    public static int textureSize(ProjectionFrame frame) {
        return frame.size() / 4;
    }

    private static double[] rounded(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.round(v[i] * 1000) / 1000.0;
        }
        return out;
    }

    /** A photo's shape in the frame; {@code order} is its place in the input. */
    private record Aligned(AnnotatedPhoto photo, PlaneSimilarity toFrame, double[] shape, int order) {
    }

    private static final class Bin {
        final int min;
        final int max;
        final List<Aligned> members = new ArrayList<>();

        Bin(int min, int max) {
            this.min = min;
            this.max = max;
        }

        int identities() {
            return (int) members.stream().map(a -> a.photo.identity()).distinct().count();
        }

        boolean keeps(Rules rules) {
            return members.size() >= rules.minPhotos() && identities() >= rules.minIdentities();
        }

        String label() {
            return max >= 120 ? min + "+" : min == max ? Integer.toString(min) : min + "-" + max;
        }
    }
}
