package org.homeward.tools.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The arithmetic of the two protocols, kept apart so that tests can check it against hand-computed cases:
 * identification (ranks, rank-k, mean reciprocal rank) and verification (AUC, TAR at a FAR, ROC, k-fold
 * accuracy with the threshold chosen on the other folds). Scores are similarities: higher means "same".
 */
public final class Metrics {

    private Metrics() {
    }

    // ---------------------------------------------------------------- identification

    /**
     * Rank-k rates and mean reciprocal rank over probes. {@code ranks[i]} is probe i's 1-based rank of its
     * true case, or 0 when it was not found at all (no face, or the case not ranked): a miss everywhere.
     */
    public record RankSummary(int probes, double rank1, double rank5, double rank10, double mrr) {
    }

    public static RankSummary ranks(int[] ranks) {
        int n = ranks.length;
        if (n == 0) {
            return new RankSummary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new RankSummary(n, hitRate(ranks, 1), hitRate(ranks, 5), hitRate(ranks, 10), mrr(ranks));
    }

    /** The share of probes whose true case is at rank k or better. */
    public static double hitRate(int[] ranks, int k) {
        int hits = 0;
        for (int r : ranks) {
            if (r >= 1 && r <= k) {
                hits++;
            }
        }
        return ranks.length == 0 ? Double.NaN : (double) hits / ranks.length;
    }

    /** Mean of 1/rank, a miss (rank 0) counting 0. */
    public static double mrr(int[] ranks) {
        double sum = 0;
        for (int r : ranks) {
            if (r >= 1) {
                sum += 1.0 / r;
            }
        }
        return ranks.length == 0 ? Double.NaN : sum / ranks.length;
    }

    /** Rank of {@code scores[truth]} with every tie counted against it: 1 + #{j != truth : scores[j] >= scores[truth]}. */
    public static int pessimisticRank(double[] scores, int truth) {
        int rank = 1;
        for (int j = 0; j < scores.length; j++) {
            if (j != truth && scores[j] >= scores[truth]) {
                rank++;
            }
        }
        return rank;
    }

    // ---------------------------------------------------------------- verification

    /** Area under the ROC curve: P(genuine > impostor) + P(tie) / 2 (Mann-Whitney). */
    public static double auc(double[] genuine, double[] impostor) {
        if (genuine.length == 0 || impostor.length == 0) {
            return Double.NaN;
        }
        double[] g = genuine.clone();
        double[] im = impostor.clone();
        Arrays.sort(g);
        Arrays.sort(im);
        double wins = 0;
        int below = 0;
        int upTo = 0;
        for (double s : g) {
            while (below < im.length && im[below] < s) {
                below++;
            }
            upTo = Math.max(upTo, below);
            while (upTo < im.length && im[upTo] == s) {
                upTo++;
            }
            wins += below + 0.5 * (upTo - below);
        }
        return wins / ((double) g.length * im.length);
    }

    /**
     * True accept rate at a false accept rate of at most {@code far}: the threshold t is the (k+1)-th highest
     * impostor score with k = floor(far * impostors), and a pair is accepted when its score is strictly above
     * t, so no more than k impostors pass even when scores tie. With k >= impostors every pair passes.
     */
    public static double tarAtFar(double[] genuine, double[] impostor, double far) {
        if (genuine.length == 0 || impostor.length == 0) {
            return Double.NaN;
        }
        double t = thresholdAtFar(impostor, far);
        int accepted = 0;
        for (double s : genuine) {
            if (s > t) {
                accepted++;
            }
        }
        return (double) accepted / genuine.length;
    }

    /** The threshold of {@link #tarAtFar}: scores strictly above it are accepted. */
    public static double thresholdAtFar(double[] impostor, double far) {
        int k = (int) Math.floor(far * impostor.length + 1e-9);
        if (k >= impostor.length) {
            return Double.NEGATIVE_INFINITY;
        }
        double[] im = impostor.clone();
        Arrays.sort(im);
        return im[im.length - 1 - k];
    }

    /** Points of the ROC curve (false accept rate, true accept rate), from (0,0) to (1,1), one per distinct score. */
    public record Roc(double[] far, double[] tar) {
    }

    public static Roc roc(double[] genuine, double[] impostor) {
        double[] all = new double[genuine.length + impostor.length];
        System.arraycopy(genuine, 0, all, 0, genuine.length);
        System.arraycopy(impostor, 0, all, genuine.length, impostor.length);
        double[] thresholds = Arrays.stream(all).distinct().sorted().toArray();
        double[] g = genuine.clone();
        double[] im = impostor.clone();
        Arrays.sort(g);
        Arrays.sort(im);
        List<double[]> points = new ArrayList<>();
        points.add(new double[] {0, 0});
        // Accept score >= t, for t from the highest score down.
        for (int i = thresholds.length - 1; i >= 0; i--) {
            double t = thresholds[i];
            points.add(new double[] {atLeast(im, t) / (double) Math.max(1, im.length),
                atLeast(g, t) / (double) Math.max(1, g.length)});
        }
        points.add(new double[] {1, 1});
        return new Roc(points.stream().mapToDouble(p -> p[0]).toArray(), points.stream().mapToDouble(p -> p[1]).toArray());
    }

    private static int atLeast(double[] sorted, double t) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return sorted.length - lo;
    }

    /** The threshold with the best accuracy on the pairs where {@code use[i]}, and that accuracy. */
    public record Threshold(double value, double accuracy) {
    }

    /**
     * The threshold that maximises accuracy (same when score &gt; t) on the chosen pairs. Candidates: below
     * every score, the midpoints between consecutive distinct scores, above every score; on a tie in accuracy
     * the lowest candidate wins.
     */
    public static Threshold bestThreshold(double[] scores, boolean[] same, boolean[] use) {
        int n = 0;
        for (boolean u : use) {
            if (u) {
                n++;
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("no pairs to choose a threshold on");
        }
        double[][] pairs = new double[n][];
        int k = 0;
        int positives = 0;
        for (int i = 0; i < scores.length; i++) {
            if (use[i]) {
                pairs[k++] = new double[] {scores[i], same[i] ? 1 : 0};
                positives += same[i] ? 1 : 0;
            }
        }
        Arrays.sort(pairs, (a, b) -> Double.compare(a[0], b[0]));
        // Threshold below everything: all accepted, the positives are right.
        int correct = positives;
        double bestT = pairs[0][0] - 1;
        int bestCorrect = correct;
        int i = 0;
        while (i < n) {
            double v = pairs[i][0];
            // Move every pair scoring v to "rejected".
            while (i < n && pairs[i][0] == v) {
                correct += pairs[i][1] == 1 ? -1 : 1;
                i++;
            }
            double t = i < n ? (v + pairs[i][0]) / 2 : v + 1;
            if (correct > bestCorrect) {
                bestCorrect = correct;
                bestT = t;
            }
        }
        return new Threshold(bestT, (double) bestCorrect / n);
    }

    /** Verification accuracy over folds, each fold judged at the threshold chosen on all the other folds. */
    public record FoldAccuracy(double mean, double std, double[] perFold, double[] thresholds) {
    }

    /**
     * k-fold accuracy: for each fold f, the threshold is {@link #bestThreshold} on the pairs of the other folds
     * and the accuracy is measured on fold f. {@code std} is the population standard deviation of the folds'
     * accuracies (numpy's default, as the usual LFW evaluation code reports it).
     */
    public static FoldAccuracy foldAccuracy(double[] scores, boolean[] same, int[] fold, int folds) {
        double[] acc = new double[folds];
        double[] thresholds = new double[folds];
        for (int f = 0; f < folds; f++) {
            boolean[] train = new boolean[scores.length];
            int test = 0;
            for (int i = 0; i < scores.length; i++) {
                train[i] = fold[i] != f;
                test += fold[i] == f ? 1 : 0;
            }
            if (test == 0) {
                throw new IllegalArgumentException("fold " + (f + 1) + " of " + folds + " has no pairs");
            }
            Threshold t = bestThreshold(scores, same, train);
            int correct = 0;
            for (int i = 0; i < scores.length; i++) {
                if (fold[i] == f && (scores[i] > t.value()) == same[i]) {
                    correct++;
                }
            }
            acc[f] = (double) correct / test;
            thresholds[f] = t.value();
        }
        double mean = Arrays.stream(acc).average().orElse(Double.NaN);
        double var = Arrays.stream(acc).map(a -> (a - mean) * (a - mean)).sum() / folds;
        return new FoldAccuracy(mean, Math.sqrt(var), acc, thresholds);
    }

    /**
     * Folds for a pairs list that does not give its own: same pairs, then different pairs, each in file order, are
     * dealt round robin by one counter, so every fold keeps about the list's proportion of each and none is empty
     * while there are at least as many pairs as folds.
     */
    public static int[] stratifiedFolds(boolean[] same, int folds) {
        int[] fold = new int[same.length];
        int sameCount = 0;
        for (boolean s : same) {
            sameCount += s ? 1 : 0;
        }
        int nextSame = 0;
        int nextDifferent = sameCount;
        for (int i = 0; i < same.length; i++) {
            fold[i] = same[i] ? nextSame++ % folds : nextDifferent++ % folds;
        }
        return fold;
    }
}
