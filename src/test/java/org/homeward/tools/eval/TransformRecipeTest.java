package org.homeward.tools.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.homeward.faces.pipeline.FacePipeline;
import org.homeward.models.EmbeddingTransform;
import org.homeward.models.Similarity;
import org.junit.jupiter.api.Test;

/** The eigendecomposition, and the transforms learnt on synthetic people whose faces drift along one direction with age. */
class TransformRecipeTest {

    @Test
    void eigenDecompositionOfASymmetricMatrix() {
        Linalg.Eigen e = Linalg.symmetricEigen(new double[][] {{2, 1}, {1, 2}});
        assertEquals(3, e.values()[0], 1e-12);
        assertEquals(1, e.values()[1], 1e-12);
        assertEquals(1, Math.abs(e.vector(0)[0] + e.vector(0)[1]) / Math.sqrt(2), 1e-12);

        Random random = new Random(3);
        int n = 30;
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                a[i][j] = a[j][i] = random.nextGaussian();
            }
        }
        e = Linalg.symmetricEigen(a);
        for (int k = 0; k < n; k++) {
            double[] v = e.vector(k);
            double[] av = Linalg.apply(a, v);
            for (int i = 0; i < n; i++) {
                assertEquals(e.values()[k] * v[i], av[i], 1e-9);
            }
            if (k > 0) {
                assertTrue(e.values()[k] <= e.values()[k - 1]);
            }
        }
    }

    /** 12 people in 16-D: an identity part, an offset shared by everyone, and a drift along axis 5 from child to adult. */
    static List<TransformRecipe.Sample> people(Random random) {
        List<TransformRecipe.Sample> samples = new ArrayList<>();
        for (int p = 0; p < 12; p++) {
            double[] base = new double[16];
            for (int i = 0; i < 16; i++) {
                base[i] = (i == 5 ? 0 : 0.3 * random.nextGaussian()) + (i == 15 ? 3 : 0);
            }
            for (int photo = 0; photo < 6; photo++) {
                double age = photo < 3 ? 2 + photo * 3 : 20 + photo * 5;
                float[] v = new float[16];
                for (int i = 0; i < 16; i++) {
                    v[i] = (float) (base[i] + 0.03 * random.nextGaussian() + (i == 5 && age >= 18 ? 1.5 : 0));
                }
                samples.add(new TransformRecipe.Sample("p" + p, age, v, null));
            }
        }
        return samples;
    }

    static double meanSameChildAdult(List<TransformRecipe.Sample> samples, java.util.function.Function<float[], float[]> f) {
        double sum = 0;
        int n = 0;
        for (TransformRecipe.Sample a : samples) {
            for (TransformRecipe.Sample b : samples) {
                if (a.identity().equals(b.identity()) && a.age() <= 12 && b.age() >= 18) {
                    sum += Similarity.cosine(f.apply(a.raw()), f.apply(b.raw()));
                    n++;
                }
            }
        }
        return sum / n;
    }

    @Test
    void napRemovesTheChildToAdultDirection() {
        List<TransformRecipe.Sample> samples = people(new Random(7));
        EmbeddingTransform t = new TransformRecipe("t", false, true, 1, Double.NaN, 0).fit(samples, 12, 18, "t", "e");
        // The mean adult-minus-child difference of one person's unit vectors is (almost) removed.
        double[] drift = new double[16];
        int n = 0;
        for (TransformRecipe.Sample a : samples) {
            for (TransformRecipe.Sample b : samples) {
                if (a.identity().equals(b.identity()) && a.age() <= 12 && b.age() >= 18) {
                    float[] ua = Similarity.normalised(a.raw());
                    float[] ub = Similarity.normalised(b.raw());
                    for (int i = 0; i < 16; i++) {
                        drift[i] += ub[i] - ua[i];
                    }
                    n++;
                }
            }
        }
        double before = 0;
        double left = 0;
        double[] projected = Linalg.apply(t.matrix(), drift);
        for (int i = 0; i < 16; i++) {
            before += drift[i] * drift[i];
            left += projected[i] * projected[i];
        }
        assertTrue(n > 0 && Math.sqrt(left / before) < 0.1, "share of the drift left: " + Math.sqrt(left / before));
        double raw = meanSameChildAdult(samples, v -> v);
        double after = meanSameChildAdult(samples, t::apply);
        assertTrue(after > raw, raw + " -> " + after);
        assertTrue(after > 0.95, "child and adult of one person after NAP: " + after);
    }

    @Test
    void wccnWithoutShrinkageWhitensTheWithinPersonSpread() {
        List<TransformRecipe.Sample> samples = people(new Random(11));
        EmbeddingTransform t = new TransformRecipe("t", false, true, 0, 0.0, 0).fit(samples, 12, 18, "t", "e");
        // In the transformed space (before the final normalisation) the within-person covariance is the identity.
        double[][] within = new double[16][16];
        int people = 12;
        for (int p = 0; p < people; p++) {
            List<double[]> ys = new ArrayList<>();
            for (TransformRecipe.Sample s : samples) {
                if (s.identity().equals("p" + p)) {
                    float[] unit = Similarity.normalised(s.raw());
                    double[] x = new double[16];
                    for (int i = 0; i < 16; i++) {
                        x[i] = unit[i] - t.mean()[i];
                    }
                    ys.add(Linalg.apply(t.matrix(), x));
                }
            }
            double[] mu = new double[16];
            ys.forEach(y -> {
                for (int i = 0; i < 16; i++) {
                    mu[i] += y[i] / ys.size();
                }
            });
            for (double[] y : ys) {
                double[] d = new double[16];
                for (int i = 0; i < 16; i++) {
                    d[i] = y[i] - mu[i];
                }
                Linalg.addOuter(within, d, 1.0 / ys.size() / people);
            }
        }
        for (int i = 0; i < 16; i++) {
            for (int j = 0; j < 16; j++) {
                assertEquals(i == j ? 1 : 0, within[i][j], 1e-6, "W[" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void pldaWeightingTurnsDownDirectionsInWhichPeopleDoNotDiffer() {
        List<TransformRecipe.Sample> samples = people(new Random(13));
        EmbeddingTransform wccn = new TransformRecipe("t", false, true, 0, 0.0, 0).fit(samples, 12, 18, "t", "e");
        EmbeddingTransform plda = new TransformRecipe("t", false, true, 0, 0.0, 0, true).fit(samples, 12, 18, "t", "e");
        // Whitening leaves the age drift (axis 5, the same for everyone) as long as any within-person spread; PLDA's
        // weight b / (1 + 2b) is near 0 where people do not differ, so one person's child and adult vectors come together.
        double whitened = meanSameChildAdult(samples, wccn::apply);
        double weighted = meanSameChildAdult(samples, plda::apply);
        assertTrue(1 - weighted < 0.7 * (1 - whitened), "child and adult of one person: WCCN " + whitened
                + ", WCCN + PLDA " + weighted);
    }

    @Test
    void theMirroredChipIsTheChipFlippedLeftToRight() {
        float[] chip = new float[3 * 2 * 2];
        for (int i = 0; i < chip.length; i++) {
            chip[i] = i;
        }
        // per channel and row: [a b] -> [b a]
        float[] expected = {1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10};
        float[] mirrored = FacePipeline.mirrored(chip);
        for (int i = 0; i < chip.length; i++) {
            assertEquals(expected[i], mirrored[i]);
        }
    }
}
