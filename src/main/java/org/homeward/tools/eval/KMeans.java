package org.homeward.tools.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.homeward.models.Similarity;

/**
 * Spherical k-means over unit vectors (cosine similarity): the centres a cohort of faces is summed up by, so that a
 * package can carry what the cohort looks like without carrying any one person's vector.
 */
final class KMeans {

    private static final int ITERATIONS = 25;

    private KMeans() {
    }

    /** {@code k} unit centres of {@code vectors} (k-means++ seeding with {@code seed}); all vectors when k >= n. */
    static List<float[]> centroids(List<float[]> vectors, int k, long seed) {
        if (k >= vectors.size()) {
            return vectors;
        }
        Random random = new Random(seed);
        List<float[]> centres = new ArrayList<>();
        centres.add(vectors.get(random.nextInt(vectors.size())));
        double[] distance = new double[vectors.size()];
        while (centres.size() < k) {
            double total = 0;
            for (int i = 0; i < vectors.size(); i++) {
                double best = Double.MAX_VALUE;
                for (float[] c : centres) {
                    best = Math.min(best, 1 - dot(vectors.get(i), c));
                }
                distance[i] = best * best;
                total += distance[i];
            }
            double pick = random.nextDouble() * total;
            int chosen = 0;
            for (double acc = distance[0]; acc < pick && chosen < vectors.size() - 1; acc += distance[++chosen]) {
                // walk to the vector whose share of the total holds the pick
            }
            centres.add(vectors.get(chosen));
        }
        int d = vectors.get(0).length;
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            float[][] sums = new float[k][d];
            for (float[] v : vectors) {
                int best = 0;
                double bestSim = -2;
                for (int c = 0; c < k; c++) {
                    double sim = dot(v, centres.get(c));
                    if (sim > bestSim) {
                        bestSim = sim;
                        best = c;
                    }
                }
                for (int j = 0; j < d; j++) {
                    sums[best][j] += v[j];
                }
            }
            for (int c = 0; c < k; c++) {
                if (norm(sums[c]) > 0) {
                    centres.set(c, Similarity.normalised(sums[c]));
                }
            }
        }
        return centres;
    }

    private static double norm(float[] v) {
        return Math.sqrt(dot(v, v));
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
