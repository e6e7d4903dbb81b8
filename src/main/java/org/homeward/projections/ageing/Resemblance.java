package org.homeward.projections.ageing;

import java.awt.image.BufferedImage;
import java.util.List;
import org.homeward.models.Landmarks;

/**
 * Adult photos of the child's close relatives (a parent, a brother or sister) that steer the adult end of a
 * projection, as forensic artists use family photos when they age a child past adolescence. What a relative
 * lends is how their face differs from the adult mean (the "individual component" of Burt and Perrett), taken
 * {@link #at(double)} times: none until {@link #FROM_AGE}, rising to {@link #weight()} at {@link #FULL_AGE} and
 * after. With several relatives their differences are averaged.
 *
 * @param relatives each relative's photo and the five landmarks of their face on it
 * @param weight how much of the relatives' difference an adult projection takes (0 to 1)
 */
public record Resemblance(List<Relative> relatives, double weight) {

    /** The default share of a relative's difference from the adult mean (a child takes after each parent in part). */
    public static final double DEFAULT_WEIGHT = 0.5;
    /** Below this target age, a projection is the child's alone. */
    public static final double FROM_AGE = 12;
    /** From this target age, a projection takes the whole weight. */
    public static final double FULL_AGE = 20;

    public static final Resemblance NONE = new Resemblance(List.of(), 0);

    /** One relative's adult photo and their face's five landmarks on it. */
    public record Relative(BufferedImage photo, Landmarks landmarks) {
    }

    public Resemblance {
        relatives = List.copyOf(relatives);
        if (!(weight >= 0 && weight <= 1)) {
            throw new IllegalArgumentException("resemblance weight " + weight + " is outside 0..1");
        }
    }

    public static Resemblance of(List<Relative> relatives) {
        return new Resemblance(relatives, DEFAULT_WEIGHT);
    }

    /** Whether relatives steer a projection to {@code targetAge} at all (whatever the weight). */
    public static boolean reaches(double targetAge) {
        return targetAge > FROM_AGE;
    }

    /** Whether it changes anything. */
    public boolean none() {
        return relatives.isEmpty() || weight == 0;
    }

    /** The share of the relatives' difference a projection to {@code targetAge} takes. */
    public double at(double targetAge) {
        if (none() || !reaches(targetAge)) {
            return 0;
        }
        return weight * Math.min(1, (targetAge - FROM_AGE) / (FULL_AGE - FROM_AGE));
    }
}
