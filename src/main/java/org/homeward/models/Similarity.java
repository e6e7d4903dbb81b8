package org.homeward.models;

/** Cosine similarity of face embeddings, as pgvector's {@code <=>} computes it (1 - cosine distance). */
public final class Similarity {

    private Similarity() {
    }

    /** Cosine similarity in [-1, 1]; 0 when either vector is all zeros. */
    public static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors of " + a.length + " and " + b.length + " values");
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        if (na == 0 || nb == 0) {
            return 0;
        }
        return Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb)));
    }

    /** A unit-length copy of {@code v} (all zeros stay zeros). */
    public static float[] normalised(float[] v) {
        double n = 0;
        for (float x : v) {
            n += (double) x * x;
        }
        float[] out = new float[v.length];
        if (n == 0) {
            return out;
        }
        double inv = 1 / Math.sqrt(n);
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] * inv);
        }
        return out;
    }
}
