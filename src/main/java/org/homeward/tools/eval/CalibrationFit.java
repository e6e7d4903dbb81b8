package org.homeward.tools.eval;

import java.util.Arrays;
import java.util.stream.DoubleStream;
import org.homeward.matching.EvidenceMapping;

/**
 * Fits an {@link EvidenceMapping} to genuine and impostor scores in two steps.
 * <ol>
 * <li>Logistic-regression calibration (Brümmer and du Preez 2006; Morrison 2013): log LR = a + b * score, with
 * a and b minimising the cross-entropy with both classes weighted equally (prior 0.5), so that a + b * score is
 * the log likelihood ratio itself and the minimum is Cllr (in nats). Two parameters: hard to over-fit on a few
 * hundred genuine scores, and monotone by construction.</li>
 * <li>Empirical lower and upper bounds (ELUB; Vergeer, van Es, de Jongh, Alberink and Stoel 2016, Science and
 * Justice 56: 482-491): the LR is capped where, with one more misleading score of each kind added to the data,
 * the system's normalised Bayes error would exceed that of a neutral system (LR 1) at some prior. The bounds
 * never pass the counts: LR at most (impostor scores + 1) and at least 1 / (genuine scores + 1).</li>
 * </ol>
 */
final class CalibrationFit {

    /** The grid of the bounds, in log10 units (as in the ELUB papers). */
    static final double BOUND_STEP = 0.01;
    private static final double LN10 = Math.log(10);

    private CalibrationFit() {
    }

    /** Logistic regression, then ELUB bounds on the fitted LRs of the same scores. */
    static EvidenceMapping fit(double[] genuine, double[] impostor) {
        EvidenceMapping unbounded = logistic(genuine, impostor);
        double[] bounds = elub(log10Lrs(unbounded, genuine), log10Lrs(unbounded, impostor));
        return unbounded.withBounds(bounds[0], bounds[1]);
    }

    static double[] log10Lrs(EvidenceMapping m, double[] scores) {
        double[] out = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            out[i] = m.unboundedLog10Lr(scores[i]);
        }
        return out;
    }

    /**
     * The logistic-regression calibration, unbounded (its bounds are placeholders far outside any LR).
     * Refuses scores that do not separate the classes at all (the fitted slope is not positive).
     */
    static EvidenceMapping logistic(double[] genuine, double[] impostor) {
        if (genuine.length < 2 || impostor.length < 2) {
            throw new EvalInputError("calibration needs at least 2 genuine and 2 impostor scores, got " + genuine.length
                    + " and " + impostor.length);
        }
        // Standardise for the solver; convert back at the end.
        double mean = 0;
        for (double s : genuine) {
            mean += s;
        }
        for (double s : impostor) {
            mean += s;
        }
        mean /= genuine.length + impostor.length;
        double var = 0;
        for (double s : genuine) {
            var += (s - mean) * (s - mean);
        }
        for (double s : impostor) {
            var += (s - mean) * (s - mean);
        }
        double sd = Math.sqrt(var / (genuine.length + impostor.length));
        if (!(sd > 0)) {
            throw new EvalInputError("all scores are equal: nothing to calibrate");
        }
        double[] g = standardised(genuine, mean, sd);
        double[] d = standardised(impostor, mean, sd);
        double w0 = 0;
        double w1 = 0;
        double loss = loss(g, d, w0, w1);
        for (int iter = 0; iter < 100; iter++) {
            double[] grad = new double[2];
            double[][] h = new double[2][2];
            accumulate(g, -1, 0.5 / g.length, w0, w1, grad, h);
            accumulate(d, +1, 0.5 / d.length, w0, w1, grad, h);
            double det = h[0][0] * h[1][1] - h[0][1] * h[1][0];
            if (!(det > 0)) {
                break;
            }
            double s0 = (h[1][1] * grad[0] - h[0][1] * grad[1]) / det;
            double s1 = (h[0][0] * grad[1] - h[1][0] * grad[0]) / det;
            double step = 1;
            double next = loss(g, d, w0 - s0, w1 - s1);
            while (next > loss && step > 1e-10) {
                step /= 2;
                next = loss(g, d, w0 - step * s0, w1 - step * s1);
            }
            w0 -= step * s0;
            w1 -= step * s1;
            boolean converged = loss - next < 1e-15 && Math.abs(step * s0) + Math.abs(step * s1) < 1e-12;
            loss = next;
            if (converged) {
                break;
            }
        }
        if (!(w1 > 0)) {
            throw new EvalInputError("genuine scores are not higher than impostor scores (fitted slope " + w1
                    + "): these scores carry no evidence to calibrate");
        }
        // ln LR = w0 + w1 (s - mean) / sd  ->  log10 LR = a + b s
        double b = w1 / sd / LN10;
        double a = (w0 - w1 * mean / sd) / LN10;
        return new EvidenceMapping(a, b, -300, 300);
    }

    /** Adds one class's gradient and Hessian of the weighted cross-entropy; sign -1 for genuine, +1 for impostor. */
    private static void accumulate(double[] x, int sign, double weight, double w0, double w1, double[] grad, double[][] h) {
        for (double v : x) {
            double z = w0 + w1 * v;
            double p = sigmoid(sign * z); // d/dz softplus(sign z) = sign * sigmoid(sign z)
            double dz = sign * p * weight;
            grad[0] += dz;
            grad[1] += dz * v;
            double curv = p * (1 - p) * weight;
            h[0][0] += curv;
            h[0][1] += curv * v;
            h[1][0] += curv * v;
            h[1][1] += curv * v * v;
        }
    }

    private static double loss(double[] g, double[] d, double w0, double w1) {
        double lg = 0;
        for (double v : g) {
            lg += softplus(-(w0 + w1 * v));
        }
        double ld = 0;
        for (double v : d) {
            ld += softplus(w0 + w1 * v);
        }
        return 0.5 * lg / g.length + 0.5 * ld / d.length;
    }

    static double softplus(double z) {
        return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    }

    private static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    private static double[] standardised(double[] x, double mean, double sd) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (x[i] - mean) / sd;
        }
        return out;
    }

    /**
     * The ELUB bounds, {min, max} in log10, of a system's log10 LRs on its genuine and impostor scores. At a
     * threshold LR t (deciding "same person" when LR &gt; t, the right decision at prior odds 1/t), the normalised
     * Bayes error is P(miss | same) + t P(false alarm | different), with one genuine LR below everything and one
     * impostor LR above everything added; a neutral system scores min(1, t). The bounds stop one grid step short
     * of the first threshold, counting out from LR 1, where the system does worse than neutral, and never pass
     * log10(impostors + 1) or -log10(genuine + 1).
     */
    static double[] elub(double[] genuineLog10, double[] impostorLog10) {
        int ng = genuineLog10.length;
        int nd = impostorLog10.length;
        double top = Math.min(both(genuineLog10, impostorLog10).max().orElse(0), Math.log10(nd + 1.0));
        double bottom = Math.max(both(genuineLog10, impostorLog10).min().orElse(0), -Math.log10(ng + 1.0));
        double upper = 0;
        int steps = (int) Math.floor(Math.max(0, top) / BOUND_STEP);
        for (int k = 0; k <= steps; k++) {
            double t = k * BOUND_STEP;
            if (bayesError(genuineLog10, impostorLog10, t) > 1) {
                break;
            }
            upper = t;
        }
        double lower = 0;
        steps = (int) Math.floor(Math.max(0, -bottom) / BOUND_STEP);
        for (int k = 1; k <= steps; k++) {
            double t = -k * BOUND_STEP;
            if (bayesError(genuineLog10, impostorLog10, t) > Math.pow(10, t)) {
                break;
            }
            lower = t;
        }
        return new double[] {lower, upper};
    }

    /** Normalised Bayes error at threshold 10^t, with one misleading score of each kind added. */
    static double bayesError(double[] genuineLog10, double[] impostorLog10, double t) {
        int missed = 1;
        for (double l : genuineLog10) {
            if (!(l > t)) {
                missed++;
            }
        }
        int falseAlarms = 1;
        for (double l : impostorLog10) {
            if (l > t) {
                falseAlarms++;
            }
        }
        return (double) missed / (genuineLog10.length + 1) + Math.pow(10, t) * falseAlarms / (impostorLog10.length + 1);
    }

    private static DoubleStream both(double[] a, double[] b) {
        return DoubleStream.concat(Arrays.stream(a), Arrays.stream(b));
    }
}
