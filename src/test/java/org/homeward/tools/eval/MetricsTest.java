package org.homeward.tools.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The metric code against cases worked out by hand (the arithmetic is in the comments). */
class MetricsTest {

    @Test
    void rankCountsTiesAgainstTheTrueCase() {
        double[] scores = {0.5, 0.9, 0.5, 0.2};
        assertEquals(3, Metrics.pessimisticRank(scores, 0)); // 0.9 and the other 0.5 are at least as high
        assertEquals(3, Metrics.pessimisticRank(scores, 2));
        assertEquals(1, Metrics.pessimisticRank(scores, 1));
        assertEquals(4, Metrics.pessimisticRank(scores, 3));
        assertEquals(3, Metrics.pessimisticRank(new double[] {0.7, 0.7, 0.7}, 1), "all tied: last place");
    }

    @Test
    void rankRatesAndMeanReciprocalRank() {
        int[] ranks = {1, 3, 0, 6, 10, 11}; // 0: not found (no face), a miss everywhere
        Metrics.RankSummary s = Metrics.ranks(ranks);
        assertEquals(6, s.probes());
        assertEquals(1 / 6.0, s.rank1(), 1e-12);
        assertEquals(2 / 6.0, s.rank5(), 1e-12);
        assertEquals(4 / 6.0, s.rank10(), 1e-12);
        assertEquals((1 + 1 / 3.0 + 0 + 1 / 6.0 + 1 / 10.0 + 1 / 11.0) / 6, s.mrr(), 1e-12);
        assertTrue(Double.isNaN(Metrics.ranks(new int[0]).rank1()));
    }

    @Test
    void aucCountsTiesAsHalf() {
        // genuine x impostor: (.8,.5) win, (.8,.2) win, (.5,.5) tie, (.5,.2) win, twice for the two .5 -> 5 of 6
        assertEquals(5 / 6.0, Metrics.auc(new double[] {0.8, 0.5, 0.5}, new double[] {0.5, 0.2}), 1e-12);
        assertEquals(1.0, Metrics.auc(new double[] {2, 3}, new double[] {1}), 1e-12);
        assertEquals(0.5, Metrics.auc(new double[] {1, 1}, new double[] {1, 1, 1}), 1e-12);
        assertEquals(0.0, Metrics.auc(new double[] {0}, new double[] {1, 2}), 1e-12);
    }

    @Test
    void tarAtFarNeverLetsMoreImpostorsThroughThanAllowed() {
        double[] impostor = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};
        double[] genuine = {0.95, 0.9, 0.85, 1.0};
        // FAR 0.1 of 10 impostors: 1 may pass; threshold = 2nd highest impostor (0.9); accepted: > 0.9 -> 0.95, 1.0
        assertEquals(0.5, Metrics.tarAtFar(genuine, impostor, 0.1), 1e-12);
        assertEquals(0.9, Metrics.thresholdAtFar(impostor, 0.1), 1e-12);
        // FAR 0.01: none may pass; threshold = the highest impostor (1.0); nothing is above it
        assertEquals(0.0, Metrics.tarAtFar(genuine, impostor, 0.01), 1e-12);
        assertEquals(1.0, Metrics.tarAtFar(genuine, impostor, 1.0), 1e-12);
        // Tied impostors: k = 1 but three share 0.5; the threshold 0.5 lets none of them through
        assertEquals(0.5, Metrics.tarAtFar(new double[] {0.5, 0.6}, new double[] {0.5, 0.5, 0.5, 0.1}, 0.25), 1e-12);
    }

    @Test
    void bestThresholdTakesTheLowestOfTheBest() {
        // sorted: .1 F, .35 T, .4 F, .8 T; candidates: all accepted 2/4, t=.225 3/4, t=.375 2/4, t=.6 3/4, none 2/4
        Metrics.Threshold t = Metrics.bestThreshold(new double[] {0.1, 0.4, 0.35, 0.8}, new boolean[] {false, false, true, true},
                new boolean[] {true, true, true, true});
        assertEquals(0.225, t.value(), 1e-12);
        assertEquals(0.75, t.accuracy(), 1e-12);
    }

    @Test
    void foldAccuracyChoosesEachThresholdOnTheOtherFolds() {
        double[] scores = {0.9, 0.2, 0.8, 0.3, 0.35, 0.4};
        boolean[] same = {true, false, true, false, true, false};
        int[] fold = {0, 0, 1, 1, 2, 2};
        // fold 0: trained on .8T .3F .35T .4F -> t = .325 -> .9 same, .2 different: 1.0
        // fold 1: trained on .9T .2F .35T .4F -> t = .275 -> .8 same (right), .3 same (wrong): 0.5
        // fold 2: trained on .9T .2F .8T .3F  -> t = .55  -> .35 different (wrong), .4 different (right): 0.5
        Metrics.FoldAccuracy a = Metrics.foldAccuracy(scores, same, fold, 3);
        assertArrayEquals(new double[] {0.325, 0.275, 0.55}, a.thresholds(), 1e-12);
        assertArrayEquals(new double[] {1.0, 0.5, 0.5}, a.perFold(), 1e-12);
        assertEquals(2 / 3.0, a.mean(), 1e-12);
        assertEquals(Math.sqrt(1 / 18.0), a.std(), 1e-12); // population std of 1, .5, .5
    }

    @Test
    void foldsAreDealtRoundRobinPerKind() {
        boolean[] same = {true, true, false, true, false, false, true};
        assertArrayEquals(new int[] {0, 1, 0, 0, 1, 0, 1}, Metrics.stratifiedFolds(same, 2));
        int[] ten = Metrics.stratifiedFolds(new boolean[25], 10);
        assertEquals(9, ten[9]);
        assertEquals(0, ten[10]);
        // 8 same then 8 different pairs in 10 folds: the different pairs continue at fold 8, so no fold is empty
        boolean[] small = new boolean[16];
        java.util.Arrays.fill(small, 0, 8, true);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5}, Metrics.stratifiedFolds(small, 10));
    }

    @Test
    void rocGoesFromTheOriginToOne() {
        Metrics.Roc roc = Metrics.roc(new double[] {0.9, 0.4}, new double[] {0.5, 0.1});
        assertArrayEquals(new double[] {0, 0, 0.5, 0.5, 1, 1}, roc.far(), 1e-12);
        assertArrayEquals(new double[] {0, 0.5, 0.5, 1, 1, 1}, roc.tar(), 1e-12);
    }
}
