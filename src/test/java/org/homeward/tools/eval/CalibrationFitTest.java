package org.homeward.tools.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.homeward.matching.EvidenceMapping;
import org.junit.jupiter.api.Test;

/**
 * The calibration arithmetic against cases computed by hand or known in closed form: logistic regression on two
 * Gaussians, ELUB bounds, Cllr and Cllr_min, and cross-validation that never lets a person's scores fit their own LRs.
 */
class CalibrationFitTest {

    static double[] gaussian(Random r, int n, double mean) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = mean + r.nextGaussian();
        }
        return x;
    }

    @Test
    void logisticRegressionRecoversTheLrOfTwoGaussians() {
        Random r = new Random(5);
        // Same person ~ N(1, 1), different ~ N(0, 1): ln LR = s - 1/2 exactly, so log10 LR = (s - 0.5) / ln 10.
        EvidenceMapping m = CalibrationFit.logistic(gaussian(r, 20_000, 1), gaussian(r, 40_000, 0));
        assertEquals(1 / Math.log(10), m.slope(), 0.02);
        assertEquals(-0.5 / Math.log(10), m.intercept(), 0.02);
    }

    @Test
    void scoresThatDoNotSeparateAreRefused() {
        assertThrows(EvalInputError.class, () -> CalibrationFit.logistic(new double[] {0, 1}, new double[] {2, 3}));
        assertThrows(EvalInputError.class, () -> CalibrationFit.logistic(new double[] {1, 1}, new double[] {1, 1}));
        assertThrows(EvalInputError.class, () -> CalibrationFit.logistic(new double[] {1}, new double[] {0, 0.5}));
    }

    @Test
    void elubBoundsOfPerfectlySeparatedLrsStopShortOfTheCounts() {
        // 9 genuine LRs of 10^5, 99 impostor LRs of 10^-5. With one misleading score of each kind added, the Bayes error
        // at threshold 10^t is 1/10 + 10^t / 100: above neutral (1) once 10^t > 90, i.e. t > 1.954; below 1, above
        // neutral (10^t) once 0.1 > 0.99 * 10^t, i.e. t < -0.9956.
        double[] g = new double[9];
        double[] d = new double[99];
        Arrays.fill(g, 5);
        Arrays.fill(d, -5);
        double[] bounds = CalibrationFit.elub(g, d);
        assertEquals(-0.99, bounds[0], 1e-9);
        assertEquals(1.95, bounds[1], 1e-9);
        assertTrue(bounds[1] <= Math.log10(d.length + 1) && bounds[0] >= -Math.log10(g.length + 1));
    }

    @Test
    void elubNeverWidensBeyondWhatTheSystemSaidItself() {
        double[] g = {0.3, 0.5, 0.8, 0.2, 0.9};
        double[] d = {-0.4, -0.2, 0.1, -0.6, -0.1, -0.3};
        double[] bounds = CalibrationFit.elub(g, d);
        assertTrue(bounds[1] <= 0.9 && bounds[0] >= -0.6 && bounds[0] <= 0 && bounds[1] >= 0, Arrays.toString(bounds));
    }

    @Test
    void theFittedCalibrationIsBoundedEvenWhenScoresSeparatePerfectly() {
        double[] g = {0.9, 0.95, 0.97, 0.92};
        double[] d = {0.1, 0.2, 0.15, 0.3, 0.25, 0.05, 0.12, 0.22};
        EvidenceMapping m = CalibrationFit.fit(g, d);
        assertTrue(m.maxLog10() <= Math.log10(d.length + 1) && m.minLog10() >= -Math.log10(g.length + 1), m.toString());
        assertTrue(m.log10Lr(0.9) > 0 && m.log10Lr(0.3) < 0, m.toString());
    }

    @Test
    void cllrIsOneForANeutralSystemZeroForAPerfectOneAndAboveOneForAMisleadingOne() {
        assertEquals(1, CalibrationMetrics.cllr(new double[] {0, 0}, new double[] {0, 0, 0}), 1e-12);
        assertEquals(0, CalibrationMetrics.cllr(new double[] {30}, new double[] {-30}), 1e-9);
        assertTrue(CalibrationMetrics.cllr(new double[] {-1}, new double[] {1}) > 1);
        // LR 10 for a genuine: log2(1.1) / 2; LR 0.1 for an impostor: log2(1.1) / 2
        assertEquals(Math.log(1.1) / Math.log(2), CalibrationMetrics.cllr(new double[] {1}, new double[] {-1}), 1e-12);
    }

    @Test
    void cllrMinPoolsAdjacentViolators() {
        // Sorted: 0 (different), 1 (same), 2 (different), 3 (same). PAV: posteriors 0, 1/2, 1/2, 1; prior odds 1, so
        // LRs 0, 1, 1, infinite: genuine costs (1 + 0) / 2, impostor (0 + 1) / 2, Cllr_min = 0.5.
        assertEquals(0.5, CalibrationMetrics.cllrMin(new double[] {3, 1}, new double[] {2, 0}), 1e-12);
        assertEquals(0, CalibrationMetrics.cllrMin(new double[] {5, 6}, new double[] {1, 2, 3}), 1e-12);
        // Scores that say nothing: one tied block, posterior = prior, LR 1.
        assertEquals(1, CalibrationMetrics.cllrMin(new double[] {0.5, 0.5}, new double[] {0.5, 0.5, 0.5}), 1e-12);
        Random r = new Random(9);
        double[] g = gaussian(r, 300, 1.5);
        double[] d = gaussian(r, 3000, 0);
        EvidenceMapping m = CalibrationFit.logistic(g, d);
        double cllr = CalibrationMetrics.cllr(CalibrationFit.log10Lrs(m, g), CalibrationFit.log10Lrs(m, d));
        double min = CalibrationMetrics.cllrMin(g, d);
        assertTrue(min <= cllr && cllr - min < 0.05, "Cllr " + cllr + ", Cllr_min " + min);
    }

    @Test
    void quantilesInterpolateBetweenOrderStatistics() {
        double[] v = {4, 1, 3, 2};
        assertEquals(1, CalibrationMetrics.quantile(v, 0));
        assertEquals(2.5, CalibrationMetrics.quantile(v, 0.5), 1e-12);
        assertEquals(4, CalibrationMetrics.quantile(v, 1));
    }

    /** 20 people; each has 3 probes; genuine case scores ~ N(2, 1), impostor ~ N(0, 1). */
    static List<CalibrationTrials.Trial> synthetic(Random r) {
        List<CalibrationTrials.Trial> trials = new ArrayList<>();
        for (int p = 0; p < 20; p++) {
            for (int k = 0; k < 3; k++) {
                Path probe = Path.of("p" + p + "-" + k + ".jpg");
                for (int c = 0; c < 20; c++) {
                    trials.add(new CalibrationTrials.Trial(probe, "p" + p, "p" + c, (c == p ? 2 : 0) + r.nextGaussian()));
                }
            }
        }
        return trials;
    }

    @Test
    void heldOutLrsOfAPersonDoNotDependOnThatPersonsScores() {
        List<CalibrationTrials.Trial> trials = synthetic(new Random(1));
        Calibrate.Result before = Calibrate.calibrate(trials);
        assertEquals(20, before.folds());
        assertEquals(60, before.heldOut().genuine().length);
        assertEquals(60 * 19, before.heldOut().impostor().length);
        assertEquals(60, before.topImpostorHeldOut().length);
        assertTrue(before.heldOut().cllr() < 0.8 && before.heldOut().cllr() >= before.heldOut().cllrMin() - 0.05,
                "held-out Cllr " + before.heldOut().cllr() + ", Cllr_min " + before.heldOut().cllrMin());
        assertTrue(before.heldOut().medianGenuine() > before.heldOut().medianImpostor());

        // Make person p0's genuine scores absurdly high: p0's held-out impostor LRs must not move (their calibration
        // never saw p0), while the fit on everyone does.
        List<CalibrationTrials.Trial> changed = new ArrayList<>();
        for (CalibrationTrials.Trial t : trials) {
            changed.add(t.genuine() && t.probeIdentity().equals("p0")
                    ? new CalibrationTrials.Trial(t.probe(), "p0", "p0", 50) : t);
        }
        Calibrate.Result after = Calibrate.calibrate(changed);
        double[] p0Before = heldOutImpostorsOf(trials, before, "p0");
        double[] p0After = heldOutImpostorsOf(changed, after, "p0");
        assertEquals(57, p0Before.length);
        for (int i = 0; i < p0Before.length; i++) {
            assertEquals(p0Before[i], p0After[i], 0.0);
        }
        assertTrue(before.mapping().slope() != after.mapping().slope());
    }

    /** The held-out log10 LRs of one person's impostor trials, in trial order (Figures keeps the trials' order). */
    static double[] heldOutImpostorsOf(List<CalibrationTrials.Trial> trials, Calibrate.Result r, String person) {
        List<Double> out = new ArrayList<>();
        int k = 0;
        for (CalibrationTrials.Trial t : trials) {
            if (!t.genuine()) {
                if (t.probeIdentity().equals(person)) {
                    out.add(r.heldOut().impostor()[k]);
                }
                k++;
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
