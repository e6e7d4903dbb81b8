package org.homeward.projections;

import java.time.LocalDate;
import java.time.Period;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.homeward.models.Landmarks;

/**
 * Which ages one child face is projected to, or why it is not: the rule the job and the daily check share.
 * The child's age in the photo comes from an age given at upload, else from the date of birth (or the middle
 * of its range) and the date the photo was taken; with neither, nothing is projected. Targets are every
 * multiple of the step between that age and today's, and today's age in whole years; with no date of birth,
 * today's age is the photo's age plus the years since it was taken, and without a date for the photo the
 * projections go up to the horizon.
 */
public record ProjectionPlan(Double sourceAge, List<Double> targets, String reason) {

    /** What is known of one face and its child. */
    public record Subject(Landmarks landmarks, Float yaw, Float ageAtPhoto, LocalDate takenOn, LocalDate birthDate,
            LocalDate birthDateEarliest, LocalDate birthDateLatest) {
    }

    /** The settings of {@link ProjectionsConfig}. */
    public record Rules(double childStepYears, double adultAge, double stepYears, double minGapYears, double horizonYears,
            double minInterOcular, double maxYaw) {
        public static final Rules DEFAULTS = new Rules(2, 18, 5, 2, 20, 32, 0.3);

        public static Rules of(ProjectionsConfig c) {
            return new Rules(c.childStepYears(), c.adultAge(), c.stepYears(), c.minGapYears(), c.horizonYears(),
                    c.minInterOcular(), c.maxYaw());
        }

        /** The first age of the cadence above {@code age}: the next even age up to 18, then the next multiple of 5. */
        double next(double age) {
            if (age < adultAge) {
                double child = Math.floor(age / childStepYears + 1) * childStepYears;
                if (child <= adultAge + 1e-9) {
                    return child;
                }
            }
            return Math.floor(age / stepYears + 1) * stepYears;
        }
    }

    static final double MAX_AGE = 100;

    public boolean projected() {
        return reason == null;
    }

    public static ProjectionPlan of(Subject s, LocalDate today, Rules rules) {
        double interOcular = s.landmarks().interOcular();
        if (interOcular < rules.minInterOcular()) {
            return refused(null, String.format(Locale.ROOT, "face too small to project: %.0f px between the eyes, at least"
                    + " %.0f needed (a larger scan of the photo would do)", interOcular, rules.minInterOcular()));
        }
        if (s.yaw() != null && Math.abs(s.yaw()) > rules.maxYaw()) {
            return refused(null, String.format(Locale.ROOT, "face turned too far to the side to project (yaw %.2f, limit"
                    + " %.2f)", s.yaw(), rules.maxYaw()));
        }
        Double source = sourceAge(s);
        if (source == null) {
            return refused(null, "the child's age in this photo is unknown: give the date of birth (or its range) and the"
                    + " date the photo was taken, or the child's age in the photo");
        }
        Double now = ageNow(s, source, today);
        double last = now != null ? now : Math.min(MAX_AGE, source + rules.horizonYears());
        if (last - source < rules.minGapYears()) {
            return refused(source, String.format(Locale.ROOT, "nothing to project yet: the child is about the age of this"
                    + " photo (%s)", years(source)));
        }
        List<Double> targets = new ArrayList<>();
        for (double a = rules.next(source); a < last - rules.minGapYears() + 1e-9; a = rules.next(a)) {
            if (a >= source + rules.minGapYears() - 1e-9) {
                targets.add(a);
            }
        }
        double end = Math.min(MAX_AGE, Math.floor(last));
        if (targets.isEmpty() || targets.get(targets.size() - 1) < end) {
            targets.add(end);
        }
        return new ProjectionPlan(source, List.copyOf(targets), null);
    }

    private static ProjectionPlan refused(Double source, String reason) {
        return new ProjectionPlan(source, List.of(), reason);
    }

    /** The child's age in the photo, or null when it cannot be known. */
    static Double sourceAge(Subject s) {
        if (s.ageAtPhoto() != null) {
            return (double) s.ageAtPhoto();
        }
        LocalDate born = born(s);
        return born == null || s.takenOn() == null ? null : years(born, s.takenOn());
    }

    /** Today's age: from the date of birth, else the photo's age plus the time since it was taken; null when unknown. */
    static Double ageNow(Subject s, double source, LocalDate today) {
        LocalDate born = born(s);
        if (born != null) {
            return years(born, today);
        }
        return s.takenOn() == null ? null : source + years(s.takenOn(), today);
    }

    /** The date of birth, or the middle of its estimated range. */
    private static LocalDate born(Subject s) {
        if (s.birthDate() != null) {
            return s.birthDate();
        }
        if (s.birthDateEarliest() != null && s.birthDateLatest() != null) {
            return s.birthDateEarliest().plusDays(ChronoUnit.DAYS.between(s.birthDateEarliest(), s.birthDateLatest()) / 2);
        }
        return null;
    }

    /** Whole calendar years (so a birthday is exactly a year more), plus the days since as a fraction. */
    private static double years(LocalDate from, LocalDate to) {
        int whole = Period.between(from, to).getYears();
        return whole + ChronoUnit.DAYS.between(from.plusYears(whole), to) / 365.2425;
    }

    static String years(double age) {
        return age == Math.rint(age) ? (long) age + " years" : String.format(Locale.ROOT, "%.1f years", age);
    }
}
