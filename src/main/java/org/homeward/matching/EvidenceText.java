package org.homeward.matching;

import java.util.Locale;

/** Likelihood ratios written for people: two significant figures, and "1 in N" below one. */
public final class EvidenceText {

    private EvidenceText() {
    }

    public static String ratio(double lr) {
        if (!(lr > 0)) {
            return "n/a";
        }
        return lr >= 1 ? round(lr) : "1 in " + round(1 / lr);
    }

    private static String round(double v) {
        if (v >= 100) {
            double scale = Math.pow(10, Math.floor(Math.log10(v)) - 1);
            return String.format(Locale.ROOT, "%,.0f", Math.round(v / scale) * scale);
        }
        return String.format(Locale.ROOT, v >= 10 ? "%.0f" : "%.1f", v);
    }
}
