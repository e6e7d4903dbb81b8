package org.homeward.matching;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.DoubleUnaryOperator;
import org.homeward.cases.AgeRange;
import org.homeward.cases.CaseFile;
import org.homeward.cases.Sex;

/**
 * Whether a case could be the person on a sighting at all, from facts that do not depend on the face
 * match: dates, the child's age on the sighting date against the face's estimated age, and sex.
 *
 * <p>A hard constraint removes the case from the list; a soft one keeps it, with the reason shown. Hard
 * constraints are few on purpose: a case wrongly left out is a child nobody looks at, so only what cannot
 * be true is hard (seen before going missing or before birth; an age gap of more than
 * {@value #EXCLUDE_SIGMAS} standard deviations of the age estimator's error at the child's expected age).
 * Sex is soft: a report of sex can be wrong, and a long-missing child's presentation may have changed.
 */
public final class Plausibility {

    /** An age gap beyond this many standard deviations of the estimator's error excludes the case. */
    public static final double EXCLUDE_SIGMAS = 4.0;
    /** An age gap beyond this many standard deviations is shown as a caution. */
    public static final double CAUTION_SIGMAS = 2.0;

    /** The outcome: excluded (with the reason) or listed with its cautions (possibly none). */
    public record Verdict(String exclusion, List<String> cautions) {
        public boolean excluded() {
            return exclusion != null;
        }

        static Verdict exclude(String reason) {
            return new Verdict(reason, List.of());
        }
    }

    /**
     * What is known of the sighting face: when it was seen, the sex reported, the estimated age (null when
     * none), and the age estimator's error (one standard deviation, in years) at a given age (null when no
     * estimator is installed).
     */
    public record Sighted(LocalDate seenOn, Sex sex, Float estimatedAge, DoubleUnaryOperator ageErrorAt) {
    }

    private Plausibility() {
    }

    public static Verdict check(CaseFile file, Sighted sighted) {
        LocalDate seen = sighted.seenOn();
        if (file.lastSeenDate != null && seen.isBefore(file.lastSeenDate)) {
            return Verdict.exclude("Seen on " + seen + ", before the child went missing (last seen " + file.lastSeenDate + ").");
        }
        List<String> cautions = new ArrayList<>();
        Optional<AgeRange> range = file.ageOn(seen);
        if (range.isEmpty()) {
            cautions.add("The case has no date of birth, so the age was not checked.");
        } else if (range.get().oldest() < 0) {
            return Verdict.exclude("Seen on " + seen + ", before the child was born.");
        } else if (sighted.estimatedAge() == null || sighted.ageErrorAt() == null) {
            cautions.add("No age could be estimated for the sighting face, so the age was not checked.");
        } else {
            String ageCheck = ageCheck(range.get(), sighted);
            if (ageCheck != null && ageCheck.startsWith("!")) {
                return Verdict.exclude(ageCheck.substring(1));
            }
            if (ageCheck != null) {
                cautions.add(ageCheck);
            }
        }
        if (file.sex != Sex.unknown && sighted.sex() != Sex.unknown && file.sex != sighted.sex()) {
            cautions.add("The case records the child as " + file.sex + "; the sighting reports " + sighted.sex()
                    + ". Reports of sex can be wrong, so the case stays listed.");
        }
        return new Verdict(null, List.copyOf(cautions));
    }

    /** Null when the age fits; a caution; or, prefixed with "!", the reason to exclude. */
    private static String ageCheck(AgeRange range, Sighted sighted) {
        double lo = Math.max(0, range.youngest());
        double hi = Math.max(0, range.oldest());
        double estimate = sighted.estimatedAge();
        double edge = estimate < lo ? lo : estimate > hi ? hi : estimate;
        double gap = Math.abs(estimate - edge);
        if (gap == 0) {
            return null;
        }
        // The estimator's error where the child's true age would be: if this is the child, that is the
        // spread its estimate would show.
        double sigma = Math.max(1.0, sighted.ageErrorAt().applyAsDouble(edge));
        double sigmas = gap / sigma;
        String childAge = Math.round(lo) == Math.round(hi) ? String.valueOf(Math.round(lo))
                : Math.round(lo) + "-" + Math.round(hi);
        String sentence = String.format(Locale.ROOT,
                "The child would be %s on %s; the sighting face looks about %.0f, %.1f standard deviations of the age estimate (about %.0f years) %s.",
                childAge, sighted.seenOn(), estimate, sigmas, sigma, estimate > hi ? "older" : "younger");
        if (sigmas > EXCLUDE_SIGMAS) {
            return "!" + sentence + (estimate > hi ? " The child would be too young to be this person."
                    : " The child would be too old to be this person.");
        }
        return sigmas > CAUTION_SIGMAS ? sentence : null;
    }
}
