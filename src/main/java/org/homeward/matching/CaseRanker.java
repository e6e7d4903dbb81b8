package org.homeward.matching;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.homeward.faces.index.EmbeddingKind;

/**
 * Turns face scores into a ranked list of cases: the one aggregation that the app's sighting search
 * (with pgvector's neighbours) and {@code deploy/homeward eval tracing} (with scores computed in memory)
 * both run, so that the figures in docs/accuracy.md measure what investigators see.
 *
 * <p>Input: per candidate case, the cosine similarity of each of its searchable faces (originals and,
 * later, age projections) to the probe face. A case's score is, by default, a soft maximum of its faces'
 * similarities ({@link Aggregation#SOFT_MAX}, temperature 0.05): on cross-validation by identity it put the
 * right case first far more often than the best face alone ({@link Aggregation#MAX}), because a case whose
 * photos all resemble the probe beats one with a single chance match (docs/accuracy.md). The ranking is best
 * first, ties broken by the best single face, then by the case key, so a ranking never depends on the order
 * the scores arrived in. Pure Java, immutable, thread-safe.
 *
 * <p>Give every searchable face of each candidate case, not only those that pgvector returned among the k
 * nearest: the soft maximum averages over the case's faces, so a case scored on its best few faces alone would
 * be favoured over one scored on all of them. (With {@link Aggregation#MAX} the k nearest are enough.)
 */
public final class CaseRanker {

    /**
     * One searchable face of a case scored against the probe: cosine similarity in [-1, 1], its kind, and
     * the age it shows (a projection's target age, or the photo's age when known; null when unknown).
     */
    public record FaceScore(double similarity, EmbeddingKind kind, Float showsAge) {
        public FaceScore {
            if (Double.isNaN(similarity)) {
                throw new IllegalArgumentException("similarity is NaN");
            }
            Objects.requireNonNull(kind, "kind");
        }

        /** An original face with no age attached. */
        public static FaceScore original(double similarity) {
            return new FaceScore(similarity, EmbeddingKind.ORIGINAL, null);
        }

        /** From a pgvector neighbour: {@code <=>} is the cosine distance, 1 - similarity. */
        public static FaceScore ofCosineDistance(double distance, EmbeddingKind kind, Float showsAge) {
            return new FaceScore(1.0 - distance, kind, showsAge);
        }
    }

    /** How a case's face scores become the case score. */
    public enum Aggregation {
        /** The best face's similarity. */
        MAX,
        /** The mean of the two best faces (the best face alone when the case has one). */
        TOP2_MEAN,
        /**
         * A soft maximum: t * ln(mean(exp(s / t))) over the case's faces, between the mean (large t) and the
         * max (t to 0). The mean inside keeps a case with many photos from gaining by their number alone. The
         * default, with t = 0.05 (the best of 0.01-0.5 on cross-validation, for raw and transformed vectors).
         */
        SOFT_MAX
    }

    /**
     * The ranking rules. {@code temperature} is used by {@link Aggregation#SOFT_MAX} only.
     * {@code projectionAgeWindow}: a projection counts only when the age it shows is within this many years
     * of the probe's estimated age (when both are known); originals always count. Infinity (the default)
     * counts every projection; the window is there for when projections exist and can be measured.
     * {@code projectionWeight} (0 to 1, default 1): how much a projection counts beside an original. In the soft
     * maximum it weighs the projection's term in the mean; with {@link Aggregation#MAX} and
     * {@link Aggregation#TOP2_MEAN} a projection counts fully unless the weight is 0. At 0 projections are
     * ignored: where they do not help a model, the search sets it so (docs/projections.md).
     */
    public record Policy(Aggregation aggregation, double temperature, double projectionAgeWindow, double projectionWeight) {
        public static final Policy DEFAULT = new Policy(Aggregation.SOFT_MAX, 0.05, Double.POSITIVE_INFINITY);

        /** The best face alone: the rule docs/accuracy.md started from. */
        public static final Policy MAX = new Policy(Aggregation.MAX, 0.05, Double.POSITIVE_INFINITY);

        public Policy {
            Objects.requireNonNull(aggregation, "aggregation");
            if (!(temperature > 0)) {
                throw new IllegalArgumentException("temperature must be positive, not " + temperature);
            }
            if (!(projectionAgeWindow >= 0)) {
                throw new IllegalArgumentException("projectionAgeWindow must be >= 0, not " + projectionAgeWindow);
            }
            if (!(projectionWeight >= 0 && projectionWeight <= 1)) {
                throw new IllegalArgumentException("projectionWeight must be between 0 and 1, not " + projectionWeight);
            }
        }

        /** Projections counting fully. */
        public Policy(Aggregation aggregation, double temperature, double projectionAgeWindow) {
            this(aggregation, temperature, projectionAgeWindow, 1);
        }

        public Policy withAggregation(Aggregation a, double t) {
            return new Policy(a, t, projectionAgeWindow, projectionWeight);
        }

        /** The same aggregation with another rule for projections. */
        public Policy withProjections(double ageWindow, double weight) {
            return new Policy(aggregation, temperature, ageWindow, weight);
        }

        @Override
        public String toString() {
            String rule = switch (aggregation) {
                case MAX -> "max";
                case TOP2_MEAN -> "top2-mean";
                case SOFT_MAX -> String.format(Locale.ROOT, "soft-max(t=%s)", temperature);
            };
            if (projectionWeight == 0) {
                return rule + ", projections ignored";
            }
            if (!Double.isInfinite(projectionAgeWindow)) {
                rule += String.format(Locale.ROOT, ", projections within %s years", projectionAgeWindow);
            }
            return projectionWeight == 1 ? rule : rule + String.format(Locale.ROOT, ", projections weighted %s", projectionWeight);
        }
    }

    /**
     * One case in a ranking: its key, score, 1-based position (unique, after tie-breaking), how many of its
     * faces counted, and its best face.
     */
    public record RankedCase<K>(K caseId, double score, int position, int faces, FaceScore best) {
    }

    public static final CaseRanker DEFAULT = new CaseRanker(Policy.DEFAULT);

    private final Policy policy;

    public CaseRanker(Policy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    public Policy policy() {
        return policy;
    }

    /** The score of one case from its faces' scores; NaN when none of them counts (the case is not ranked). */
    public double caseScore(Collection<FaceScore> faces) {
        return caseScore(faces, null);
    }

    /** As {@link #caseScore(Collection)}, with the probe's estimated age (null when unknown). */
    public double caseScore(Collection<FaceScore> faces, Float probeAge) {
        List<FaceScore> counted = counted(faces, probeAge);
        if (counted.isEmpty()) {
            return Double.NaN;
        }
        return switch (policy.aggregation()) {
            case MAX -> best(counted).similarity();
            case TOP2_MEAN -> {
                double first = Double.NEGATIVE_INFINITY;
                double second = Double.NEGATIVE_INFINITY;
                for (FaceScore f : counted) {
                    double s = f.similarity();
                    if (s > first) {
                        second = first;
                        first = s;
                    } else if (s > second) {
                        second = s;
                    }
                }
                yield counted.size() == 1 ? first : (first + second) / 2;
            }
            case SOFT_MAX -> {
                // log-mean-exp, shifted by the max so that exp never overflows
                double t = policy.temperature();
                double max = best(counted).similarity();
                double sum = 0;
                double weights = 0;
                for (FaceScore f : counted) {
                    double w = f.kind() == EmbeddingKind.PROJECTION ? policy.projectionWeight() : 1;
                    sum += w * Math.exp((f.similarity() - max) / t);
                    weights += w;
                }
                yield max + t * Math.log(sum / weights);
            }
        };
    }

    /** Ranks the cases, best first; cases none of whose faces count are left out. */
    public <K extends Comparable<? super K>> List<RankedCase<K>> rank(Map<K, ? extends Collection<FaceScore>> facesByCase) {
        return rank(facesByCase, null);
    }

    /**
     * Ranks the cases, best first, with the probe's estimated age (null when unknown). Ties on the case score
     * are broken by the best single face, then by the case key (ascending).
     */
    public <K extends Comparable<? super K>> List<RankedCase<K>> rank(Map<K, ? extends Collection<FaceScore>> facesByCase,
            Float probeAge) {
        record Scored<K>(K key, double score, int faces, FaceScore best) {
        }
        List<Scored<K>> scored = new ArrayList<>(facesByCase.size());
        for (Map.Entry<K, ? extends Collection<FaceScore>> e : facesByCase.entrySet()) {
            Objects.requireNonNull(e.getKey(), "case key");
            List<FaceScore> counted = counted(e.getValue(), probeAge);
            if (!counted.isEmpty()) {
                scored.add(new Scored<>(e.getKey(), caseScore(counted, null), counted.size(), best(counted)));
            }
        }
        scored.sort(Comparator.<Scored<K>>comparingDouble(s -> -s.score())
                .thenComparingDouble(s -> -s.best().similarity())
                .thenComparing(Scored::key));
        List<RankedCase<K>> ranking = new ArrayList<>(scored.size());
        for (int i = 0; i < scored.size(); i++) {
            Scored<K> s = scored.get(i);
            ranking.add(new RankedCase<>(s.key(), s.score(), i + 1, s.faces(), s.best()));
        }
        return ranking;
    }

    /**
     * The rank of {@code caseId} counting every tie against it: 1 + the number of other cases whose score is
     * at least its own. 0 when the case is not in the ranking. The evaluation reports this rank, so that a
     * tie is never won by the accident of a case key.
     */
    public static <K> int pessimisticRank(List<RankedCase<K>> ranking, K caseId) {
        double own = Double.NaN;
        for (RankedCase<K> r : ranking) {
            if (r.caseId().equals(caseId)) {
                own = r.score();
                break;
            }
        }
        if (Double.isNaN(own)) {
            return 0;
        }
        int rank = 1;
        for (RankedCase<K> r : ranking) {
            if (!r.caseId().equals(caseId) && r.score() >= own) {
                rank++;
            }
        }
        return rank;
    }

    /**
     * Groups scored faces by case, keeping their order: for the app, {@code items} are pgvector's neighbours,
     * {@code caseOf} their case id and {@code scoreOf} e.g.
     * {@code n -> FaceScore.ofCosineDistance(n.distance(), n.kind(), n.showsAge())}.
     */
    public static <T, K> Map<K, List<FaceScore>> group(Collection<T> items, Function<T, K> caseOf,
            Function<T, FaceScore> scoreOf) {
        Map<K, List<FaceScore>> grouped = new LinkedHashMap<>();
        for (T item : items) {
            K key = caseOf.apply(item);
            if (key != null) {
                grouped.computeIfAbsent(key, k -> new ArrayList<>()).add(scoreOf.apply(item));
            }
        }
        return grouped;
    }

    private List<FaceScore> counted(Collection<FaceScore> faces, Float probeAge) {
        List<FaceScore> counted = new ArrayList<>(faces.size());
        for (FaceScore f : faces) {
            if (f.kind() == EmbeddingKind.PROJECTION && (policy.projectionWeight() == 0 || probeAge != null && f.showsAge() != null
                    && Math.abs(f.showsAge() - probeAge) > policy.projectionAgeWindow())) {
                continue;
            }
            counted.add(f);
        }
        return counted;
    }

    private static FaceScore best(List<FaceScore> faces) {
        FaceScore best = faces.get(0);
        for (FaceScore f : faces) {
            if (f.similarity() > best.similarity()) {
                best = f;
            }
        }
        return best;
    }

    @Override
    public String toString() {
        return "CaseRanker[" + policy + "]";
    }
}
