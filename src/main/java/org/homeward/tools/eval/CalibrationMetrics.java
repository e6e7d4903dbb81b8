package org.homeward.tools.eval;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.DoublePredicate;
import org.homeward.matching.EvidenceCalibration.Band;

/**
 * How good likelihood ratios are (Brümmer and du Preez 2006; van Leeuwen and Brümmer 2007): Cllr, the
 * log-likelihood-ratio cost in bits (0 for perfect LRs, 1 for a system that always says LR 1, more for misleading
 * ones), and Cllr_min, the cost after the best monotone recalibration of the same scores (pool adjacent
 * violators): what is lost to discrimination. Cllr - Cllr_min is what is lost to calibration.
 */
final class CalibrationMetrics {

    private static final double LN2 = Math.log(2);

    private CalibrationMetrics() {
    }

    /** Cllr in bits from log10 LRs: the mean of log2(1 + 1/LR) over genuine and of log2(1 + LR) over impostor, halved. */
    static double cllr(double[] genuineLog10, double[] impostorLog10) {
        double g = 0;
        for (double l : genuineLog10) {
            g += log2OnePlusPow10(-l);
        }
        double d = 0;
        for (double l : impostorLog10) {
            d += log2OnePlusPow10(l);
        }
        return 0.5 * g / genuineLog10.length + 0.5 * d / impostorLog10.length;
    }

    /** log2(1 + 10^x) without overflow. */
    private static double log2OnePlusPow10(double x) {
        if (x == Double.NEGATIVE_INFINITY) {
            return 0;
        }
        double z = x * Math.log(10);
        return CalibrationFit.softplus(z) / LN2;
    }

    /**
     * Cllr_min: the scores' optimal monotone (non-decreasing) LRs found by pool adjacent violators, ties pooled
     * together, posteriors turned into LRs with the data's own prior (genuine / impostor counts).
     */
    static double cllrMin(double[] genuine, double[] impostor) {
        int n = genuine.length + impostor.length;
        double[] score = new double[n];
        boolean[] same = new boolean[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            score[i] = i < genuine.length ? genuine[i] : impostor[i - genuine.length];
            same[i] = i < genuine.length;
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(score[a], score[b]));
        // Blocks of tied scores, then pooling of adjacent blocks whose genuine share decreases.
        double[] hits = new double[n];
        double[] weight = new double[n];
        int[] end = new int[n]; // exclusive end (in sorted order) of each block
        int blocks = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            double h = 0;
            while (j < n && score[order[j]] == score[order[i]]) {
                h += same[order[j]] ? 1 : 0;
                j++;
            }
            hits[blocks] = h;
            weight[blocks] = j - i;
            end[blocks] = j;
            blocks++;
            while (blocks > 1 && hits[blocks - 2] / weight[blocks - 2] >= hits[blocks - 1] / weight[blocks - 1]) {
                hits[blocks - 2] += hits[blocks - 1];
                weight[blocks - 2] += weight[blocks - 1];
                end[blocks - 2] = end[blocks - 1];
                blocks--;
            }
            i = j;
        }
        double priorLogOdds = Math.log10((double) genuine.length / impostor.length);
        double[] gl = new double[genuine.length];
        double[] dl = new double[impostor.length];
        int start = 0;
        for (int b = 0; b < blocks; b++) {
            double p = hits[b] / weight[b];
            double log10Lr = p == 0 ? Double.NEGATIVE_INFINITY : p == 1 ? Double.POSITIVE_INFINITY
                    : Math.log10(p / (1 - p)) - priorLogOdds;
            for (int k = start; k < end[b]; k++) {
                int i = order[k];
                if (same[i]) {
                    gl[i] = log10Lr;
                } else {
                    dl[i - genuine.length] = log10Lr;
                }
            }
            start = end[b];
        }
        return cllr(gl, dl);
    }

    /** The value at quantile q (0-1) of the values, by linear interpolation between order statistics. */
    static double quantile(double[] values, double q) {
        double[] s = values.clone();
        Arrays.sort(s);
        if (s.length == 0) {
            return Double.NaN;
        }
        double pos = q * (s.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return s[lo] + (pos - lo) * (s[hi] - s[lo]);
    }

    /** How many of the log10 LRs fall in each band (every band present, in order). */
    static Map<Band, Integer> bands(double[] log10Lrs) {
        Map<Band, Integer> counts = new EnumMap<>(Band.class);
        for (Band b : Band.values()) {
            counts.put(b, 0);
        }
        for (double l : log10Lrs) {
            counts.merge(Band.of(Math.pow(10, l)), 1, Integer::sum);
        }
        return counts;
    }

    /** The share of the values that pass {@code test}, e.g. {@code l -> l >= 1} for LR at least 10. */
    static double share(double[] log10Lrs, DoublePredicate test) {
        return log10Lrs.length == 0 ? Double.NaN : (double) Arrays.stream(log10Lrs).filter(test).count() / log10Lrs.length;
    }
}
