package org.homeward.tools.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Face embeddings of made-up people, spread the way real embeddings of one model are: fitted on real vectors
 * grouped by person, then sampled. Every vector is first scaled to unit length (the search compares directions
 * only). A person's centre is drawn from a Gaussian fitted to the real people's centres; each face of that
 * person is the centre plus a Gaussian step shaped like the real faces' steps from their own person's centre,
 * with the step's size drawn from the real steps' sizes (some people change more with age than others). Both
 * covariances are Ledoit-Wolf shrunk toward a multiple of the identity: forty-odd real people cannot pin down
 * a 128 x 128 covariance, and without shrinkage every made-up centre would lie in their 40-dimensional span.
 * The result is scaled back to the length of a real vector, so the stored numbers look like the model's.
 */
public final class SyntheticFaces {

    /** A made-up person: the unit-scale centre their faces are drawn around. */
    public record Identity(double[] centre) {
    }

    /**
     * What the fit found: people and faces it read, the shrinkage weights (0 = the sample covariance, 1 = a
     * multiple of the identity), the total variance between people's centres and of faces around their centre
     * (unit-scale vectors), and the real vectors' mean length.
     */
    public record Fit(int identities, int faces, double betweenShrinkage, double withinShrinkage,
            double betweenVariance, double withinVariance, double meanLength) {
    }

    /** Cosine similarities of a set of faces: same-person and different-person quantiles, and 1-NN accuracy. */
    public record Similarities(int faces, int identities, double[] genuine, double[] impostor,
            double nearestIsSamePerson) {
        /** The quantiles that {@link #genuine} and {@link #impostor} hold. */
        public static final double[] QUANTILES = {0.05, 0.5, 0.95};
    }

    private final int dim;
    private final double[] mean;
    private final double[][] between;
    private final double[][] within;
    private final double[] stepEnergy;
    private final double[] lengths;
    private final Fit fit;
    private final Random random;

    private SyntheticFaces(int dim, double[] mean, double[][] between, double[][] within, double[] stepEnergy,
            double[] lengths, Fit fit, long seed) {
        this.dim = dim;
        this.mean = mean;
        this.between = between;
        this.within = within;
        this.stepEnergy = stepEnergy;
        this.lengths = lengths;
        this.fit = fit;
        this.random = new Random(seed);
    }

    /** Fits the generator on real embeddings, one list per person; people with one face count for the centres only. */
    public static SyntheticFaces fit(Collection<List<float[]>> facesByIdentity, long seed) {
        List<List<float[]>> people = facesByIdentity.stream().filter(l -> !l.isEmpty()).toList();
        if (people.size() < 2) {
            throw new IllegalArgumentException("the generator needs the faces of at least two people, got " + people.size());
        }
        int dim = people.get(0).get(0).length;
        List<double[]> centres = new ArrayList<>();
        List<double[]> steps = new ArrayList<>();
        List<Double> lengths = new ArrayList<>();
        int faces = 0;
        for (List<float[]> person : people) {
            List<double[]> units = new ArrayList<>();
            for (float[] v : person) {
                if (v.length != dim) {
                    throw new IllegalArgumentException("embeddings of different sizes: " + dim + " and " + v.length);
                }
                double length = length(v);
                lengths.add(length);
                double[] u = new double[dim];
                for (int d = 0; d < dim; d++) {
                    u[d] = v[d] / length;
                }
                units.add(u);
            }
            double[] centre = new double[dim];
            for (double[] u : units) {
                for (int d = 0; d < dim; d++) {
                    centre[d] += u[d] / units.size();
                }
            }
            centres.add(centre);
            if (units.size() > 1) {
                for (double[] u : units) {
                    double[] step = new double[dim];
                    for (int d = 0; d < dim; d++) {
                        step[d] = u[d] - centre[d];
                    }
                    steps.add(step);
                }
            }
            faces += units.size();
        }
        if (steps.size() <= dim / 4) {
            throw new IllegalArgumentException("the generator needs more people with two or more faces (" + steps.size()
                    + " faces have a second face of the same person)");
        }
        double[] mean = new double[dim];
        for (double[] c : centres) {
            for (int d = 0; d < dim; d++) {
                mean[d] += c[d] / centres.size();
            }
        }
        List<double[]> centred = new ArrayList<>();
        for (double[] c : centres) {
            double[] x = new double[dim];
            for (int d = 0; d < dim; d++) {
                x[d] = c[d] - mean[d];
            }
            centred.add(x);
        }
        Shrunk b = ledoitWolf(centred, centred.size());
        // Each person's own centre takes one degree of freedom from their steps.
        long peopleWithSteps = people.stream().filter(p -> p.size() > 1).count();
        Shrunk w = ledoitWolf(steps, steps.size() - peopleWithSteps);
        double[] energy = new double[steps.size()];
        double sum = 0;
        for (int i = 0; i < energy.length; i++) {
            energy[i] = dot(steps.get(i), steps.get(i));
            sum += energy[i];
        }
        for (int i = 0; i < energy.length; i++) {
            energy[i] /= sum / energy.length;
        }
        double meanLength = lengths.stream().mapToDouble(Double::doubleValue).average().orElse(1);
        Fit fit = new Fit(people.size(), faces, b.weight, w.weight, trace(b.matrix), trace(w.matrix), meanLength);
        return new SyntheticFaces(dim, mean, cholesky(b.matrix), cholesky(w.matrix), energy,
                lengths.stream().mapToDouble(Double::doubleValue).toArray(), fit, seed);
    }

    /** The same fitted generator with a random stream of its own. */
    public SyntheticFaces withSeed(long seed) {
        return new SyntheticFaces(dim, mean, between, within, stepEnergy, lengths, fit, seed);
    }

    public Fit fit() {
        return fit;
    }

    public int dimension() {
        return dim;
    }

    /** A new made-up person. */
    public Identity identity() {
        double[] centre = lowerTimesGaussian(between, 1);
        for (int d = 0; d < dim; d++) {
            centre[d] += mean[d];
        }
        return new Identity(centre);
    }

    /** A new face of {@code person}, at the length of a real vector. */
    public float[] face(Identity person) {
        double scale = Math.sqrt(stepEnergy[random.nextInt(stepEnergy.length)]);
        double[] v = lowerTimesGaussian(within, scale);
        double[] centre = person.centre();
        for (int d = 0; d < dim; d++) {
            v[d] += centre[d];
        }
        double toLength = lengths[random.nextInt(lengths.length)] / Math.sqrt(dot(v, v));
        float[] out = new float[dim];
        for (int d = 0; d < dim; d++) {
            out[d] = (float) (v[d] * toLength);
        }
        return out;
    }

    /**
     * Same-person and different-person cosine similarities over every pair, and how often a face's nearest
     * other face is of the same person (over faces whose person has another face).
     */
    public static Similarities similarities(List<List<float[]>> facesByIdentity) {
        List<float[]> faces = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        for (int p = 0; p < facesByIdentity.size(); p++) {
            for (float[] v : facesByIdentity.get(p)) {
                faces.add(v);
                owner.add(p);
            }
        }
        int n = faces.size();
        double[][] unit = new double[n][];
        for (int i = 0; i < n; i++) {
            float[] v = faces.get(i);
            double length = length(v);
            unit[i] = new double[v.length];
            for (int d = 0; d < v.length; d++) {
                unit[i][d] = v[d] / length;
            }
        }
        List<Double> genuine = new ArrayList<>();
        List<Double> impostor = new ArrayList<>();
        double[] best = new double[n];
        int[] bestOwner = new int[n];
        Arrays.fill(best, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double s = dot(unit[i], unit[j]);
                (owner.get(i).equals(owner.get(j)) ? genuine : impostor).add(s);
                if (s > best[i]) {
                    best[i] = s;
                    bestOwner[i] = owner.get(j);
                }
                if (s > best[j]) {
                    best[j] = s;
                    bestOwner[j] = owner.get(i);
                }
            }
        }
        int asked = 0;
        int right = 0;
        for (int i = 0; i < n; i++) {
            if (facesByIdentity.get(owner.get(i)).size() > 1) {
                asked++;
                right += bestOwner[i] == owner.get(i) ? 1 : 0;
            }
        }
        return new Similarities(n, facesByIdentity.size(), quantiles(genuine), quantiles(impostor),
                asked == 0 ? Double.NaN : (double) right / asked);
    }

    private static double[] quantiles(List<Double> values) {
        double[] q = new double[Similarities.QUANTILES.length];
        if (values.isEmpty()) {
            Arrays.fill(q, Double.NaN);
            return q;
        }
        Collections.sort(values);
        for (int i = 0; i < q.length; i++) {
            q[i] = values.get((int) Math.min(values.size() - 1, Math.floor(Similarities.QUANTILES[i] * values.size())));
        }
        return q;
    }

    private record Shrunk(double[][] matrix, double weight) {
    }

    /**
     * Ledoit and Wolf's (2004) shrinkage of the sample covariance toward mu * I, with the weight they derive
     * from the samples themselves. {@code samples} have mean zero; the covariance divides by {@code dof}.
     */
    private static Shrunk ledoitWolf(List<double[]> samples, long dof) {
        int dim = samples.get(0).length;
        int n = samples.size();
        double[][] s = new double[dim][dim];
        for (double[] x : samples) {
            for (int i = 0; i < dim; i++) {
                for (int j = 0; j <= i; j++) {
                    s[i][j] += x[i] * x[j] / dof;
                }
            }
        }
        for (int i = 0; i < dim; i++) {
            for (int j = 0; j < i; j++) {
                s[j][i] = s[i][j];
            }
        }
        double mu = trace(s) / dim;
        double sNormSq = 0;
        double delta = 0;
        for (int i = 0; i < dim; i++) {
            for (int j = 0; j < dim; j++) {
                sNormSq += s[i][j] * s[i][j];
                double t = s[i][j] - (i == j ? mu : 0);
                delta += t * t;
            }
        }
        // ||x x' - S||^2 = |x|^4 - 2 x'Sx + ||S||^2, with x scaled so that the mean of x x' is S.
        double beta = 0;
        double scale = (double) n / dof;
        for (double[] x : samples) {
            double xx = dot(x, x) * scale;
            double xsx = 0;
            for (int i = 0; i < dim; i++) {
                double row = 0;
                for (int j = 0; j < dim; j++) {
                    row += s[i][j] * x[j];
                }
                xsx += x[i] * row;
            }
            beta += xx * xx - 2 * xsx * scale + sNormSq;
        }
        beta /= (double) n * n;
        double weight = delta == 0 ? 1 : Math.min(beta, delta) / delta;
        double[][] shrunk = new double[dim][dim];
        for (int i = 0; i < dim; i++) {
            for (int j = 0; j < dim; j++) {
                shrunk[i][j] = (1 - weight) * s[i][j] + (i == j ? weight * mu : 0);
            }
        }
        return new Shrunk(shrunk, weight);
    }

    /** The lower-triangular L with L L' = a; a must be positive definite (a shrunk covariance is). */
    private static double[][] cholesky(double[][] a) {
        int n = a.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = a[i][j];
                for (int k = 0; k < j; k++) {
                    sum -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    if (!(sum > 0)) {
                        throw new IllegalStateException("covariance is not positive definite at " + i);
                    }
                    l[i][i] = Math.sqrt(sum);
                } else {
                    l[i][j] = sum / l[j][j];
                }
            }
        }
        return l;
    }

    private double[] lowerTimesGaussian(double[][] l, double scale) {
        double[] z = new double[dim];
        for (int d = 0; d < dim; d++) {
            z[d] = random.nextGaussian();
        }
        double[] out = new double[dim];
        for (int i = 0; i < dim; i++) {
            double sum = 0;
            for (int k = 0; k <= i; k++) {
                sum += l[i][k] * z[k];
            }
            out[i] = sum * scale;
        }
        return out;
    }

    private static double trace(double[][] m) {
        double t = 0;
        for (int i = 0; i < m.length; i++) {
            t += m[i][i];
        }
        return t;
    }

    private static double length(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
