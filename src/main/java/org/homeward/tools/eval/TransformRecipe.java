package org.homeward.tools.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.homeward.models.EmbeddingTransform;
import org.homeward.models.Similarity;

/**
 * How to learn an {@link EmbeddingTransform} from labelled faces, step by step, each optional:
 * <ol>
 * <li>flip: the input is the mean of the face's and its mirrored chip's unit vectors;</li>
 * <li>center: subtract the mean unit vector of the training faces (raw dlib vectors all lie in one narrow
 * cone, so cosine similarity between them is 0.8-0.97 for everyone);</li>
 * <li>NAP (nuisance attribute projection) with k directions: remove the k main directions of the differences
 * between one person's adult and childhood faces (each person weighted equally);</li>
 * <li>WCCN (within-class covariance normalisation) with shrinkage alpha: whiten by the inverse square root
 * of the within-person covariance, shrunk toward a multiple of the identity: (1 - alpha) W + alpha tr(W)/d I;</li>
 * <li>LDA with d dimensions: keep the d main directions of between-person over within-person scatter.</li>
 * <li>PLDA weighting (after WCCN): keep every direction of the between-person scatter but weight each as the
 * two-covariance PLDA model's cross term does, b / (1 + 2b), b its between-person variance over the within-person
 * one; a soft LDA, the cosine of which is PLDA's score without its per-face terms.</li>
 * </ol>
 */
record TransformRecipe(String label, boolean flip, boolean center, int nap, double wccnAlpha, int lda, boolean plda) {

    TransformRecipe(String label, boolean flip, boolean center, int nap, double wccnAlpha, int lda) {
        this(label, flip, center, nap, wccnAlpha, lda, false);
    }

    /** One face of the training data: the person, the age, and its raw vector (and the mirror's, when embedded). */
    record Sample(String identity, double age, float[] raw, float[] flipped) {
        float[] input(boolean flip) {
            return flip && flipped != null ? EmbeddingTransform.flipAveraged(raw, flipped) : raw;
        }

        /** The manifest's photos that have a usable face, in the manifest's order, as samples to fit on. */
        static Map<Path, Sample> of(Manifest manifest, Map<Path, PhotoEmbeddings.Face> faces) {
            Map<Path, Sample> samples = new LinkedHashMap<>();
            for (Manifest.Photo p : manifest.photos()) {
                PhotoEmbeddings.Face f = faces.get(p.file());
                if (f.found()) {
                    samples.put(p.file(), new Sample(p.identity(), p.age(), f.embedding(), f.flipped()));
                }
            }
            return samples;
        }
    }

    static TransformRecipe plain() {
        return new TransformRecipe("plain embedding", false, false, 0, Double.NaN, 0);
    }

    /** Test-time flip alone: the mean of the face's and its mirrored chip's unit vectors, nothing fitted. */
    static TransformRecipe flipOnly() {
        return new TransformRecipe("flip", true, false, 0, Double.NaN, 0);
    }

    boolean identity() {
        return !center && nap == 0 && Double.isNaN(wccnAlpha) && lda == 0 && !plda;
    }

    /** Whether the training data is used at all (the plain embedding and flips need none). */
    boolean learned() {
        return !identity();
    }

    /** The transform learnt from {@code training}; childhood and adulthood are split at the protocol's ages. */
    EmbeddingTransform fit(List<Sample> training, double childMax, double adultMin, String name, String embedderId) {
        int d = training.get(0).raw().length;
        List<double[]> x = new ArrayList<>();
        for (Sample s : training) {
            float[] unit = Similarity.normalised(s.input(flip));
            double[] v = new double[d];
            for (int i = 0; i < d; i++) {
                v[i] = unit[i];
            }
            x.add(v);
        }
        double[] mean = new double[d];
        if (center) {
            for (double[] v : x) {
                for (int i = 0; i < d; i++) {
                    mean[i] += v[i] / x.size();
                }
            }
        }
        List<double[]> z = new ArrayList<>();
        for (double[] v : x) {
            double[] c = new double[d];
            for (int i = 0; i < d; i++) {
                c[i] = v[i] - mean[i];
            }
            z.add(c);
        }
        Map<String, List<Integer>> byIdentity = new LinkedHashMap<>();
        for (int i = 0; i < training.size(); i++) {
            byIdentity.computeIfAbsent(training.get(i).identity(), k -> new ArrayList<>()).add(i);
        }
        double[][] matrix = Linalg.identity(d);
        if (nap > 0) {
            double[][] scatter = new double[d][d];
            for (List<Integer> idx : byIdentity.values()) {
                List<Integer> children = idx.stream().filter(i -> training.get(i).age() <= childMax).toList();
                List<Integer> adults = idx.stream().filter(i -> training.get(i).age() >= adultMin).toList();
                double w = 1.0 / Math.max(1, children.size() * adults.size());
                for (int c : children) {
                    for (int a : adults) {
                        double[] diff = new double[d];
                        for (int i = 0; i < d; i++) {
                            diff[i] = z.get(a)[i] - z.get(c)[i];
                        }
                        Linalg.addOuter(scatter, diff, w);
                    }
                }
            }
            Linalg.Eigen e = Linalg.symmetricEigen(scatter);
            double[][] p = Linalg.identity(d);
            for (int k = 0; k < nap; k++) {
                double[] u = e.vector(k);
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        p[i][j] -= u[i] * u[j];
                    }
                }
            }
            matrix = p;
            z = z.stream().map(v -> Linalg.apply(p, v)).toList();
        }
        if (!Double.isNaN(wccnAlpha) || lda > 0 || plda) {
            double[][] within = new double[d][d];
            double[][] between = new double[d][d];
            int classes = 0;
            double inverseSizes = 0;
            for (List<Integer> idx : byIdentity.values()) {
                if (idx.size() < 2) {
                    continue;
                }
                classes++;
                inverseSizes += 1.0 / idx.size();
                double[] mu = new double[d];
                for (int i : idx) {
                    for (int k = 0; k < d; k++) {
                        mu[k] += z.get(i)[k] / idx.size();
                    }
                }
                for (int i : idx) {
                    double[] diff = new double[d];
                    for (int k = 0; k < d; k++) {
                        diff[k] = z.get(i)[k] - mu[k];
                    }
                    Linalg.addOuter(within, diff, 1.0 / idx.size());
                }
                Linalg.addOuter(between, mu, 1.0);
            }
            double trace = 0;
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    within[i][j] /= classes;
                    between[i][j] /= classes;
                }
                trace += within[i][i];
            }
            double alpha = Double.isNaN(wccnAlpha) ? 0.1 : wccnAlpha;
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    within[i][j] *= 1 - alpha;
                }
                within[i][i] += alpha * trace / d;
            }
            Linalg.Eigen w = Linalg.symmetricEigen(within);
            // W^(-1/2) = V diag(1/sqrt(lambda)) V^T
            double[][] whiten = new double[d][d];
            for (int k = 0; k < d; k++) {
                double s = 1 / Math.sqrt(Math.max(w.values()[k], 1e-12));
                double[] v = w.vector(k);
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        whiten[i][j] += s * v[i] * v[j];
                    }
                }
            }
            double[][] step = whiten;
            if (lda > 0) {
                // Between-person scatter in the whitened space; keep its main directions.
                double[][] b = Linalg.multiply(Linalg.multiply(whiten, between), whiten);
                Linalg.Eigen e = Linalg.symmetricEigen(b);
                double[][] keep = new double[lda][];
                for (int k = 0; k < lda; k++) {
                    keep[k] = e.vector(k);
                }
                step = Linalg.multiply(keep, whiten);
            } else if (plda) {
                // The scatter of the people's means holds their within-person noise over the photos averaged: take it out.
                double noise = inverseSizes / classes;
                double[][] b = Linalg.multiply(Linalg.multiply(whiten, between), whiten);
                Linalg.Eigen e = Linalg.symmetricEigen(b);
                double[][] weighted = new double[d][];
                for (int k = 0; k < d; k++) {
                    double variance = Math.max(e.values()[k] - noise, 1e-6);
                    double weight = Math.sqrt(variance / (1 + 2 * variance));
                    double[] v = e.vector(k);
                    weighted[k] = new double[d];
                    for (int i = 0; i < d; i++) {
                        weighted[k][i] = weight * v[i];
                    }
                }
                step = Linalg.multiply(weighted, whiten);
            }
            matrix = Linalg.multiply(step, matrix);
        }
        return new EmbeddingTransform(name, embedderId, flip, mean, matrix);
    }

    String describe() {
        List<String> steps = new ArrayList<>();
        if (flip) {
            steps.add("flip");
        }
        if (center) {
            steps.add("center");
        }
        if (nap > 0) {
            steps.add("NAP k=" + nap);
        }
        if (!Double.isNaN(wccnAlpha)) {
            steps.add(String.format(Locale.ROOT, "WCCN alpha=%s", wccnAlpha));
        }
        if (lda > 0) {
            steps.add("LDA " + lda);
        }
        if (plda) {
            steps.add("PLDA weights");
        }
        return steps.isEmpty() ? "none" : String.join(" + ", steps);
    }
}
