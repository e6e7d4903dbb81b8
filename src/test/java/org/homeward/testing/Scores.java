package org.homeward.testing;

import java.util.List;

/** Score arithmetic for tests: cosine similarity and the ROC AUC (Mann-Whitney, ties counted half). */
public final class Scores {

    private Scores() {
    }

    public static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    public static double auc(List<Double> genuine, List<Double> impostor) {
        double[] g = genuine.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] im = impostor.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double wins = 0;
        int lo = 0;
        int hi = 0;
        for (double s : g) {
            while (lo < im.length && im[lo] < s) {
                lo++;
            }
            hi = Math.max(hi, lo);
            while (hi < im.length && im[hi] == s) {
                hi++;
            }
            wins += lo + 0.5 * (hi - lo);
        }
        return wins / ((double) g.length * im.length);
    }
}
