package org.homeward.models;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.homeward.models.ModelPackage;
import org.homeward.models.ModelUnavailable;

/**
 * A learned linear map applied to face embeddings before they are compared (package
 * {@code homeward-embedding-transform-*}, see docs/accuracy.md): it removes the directions along which one
 * person's face changes from childhood to adulthood and rescales the rest so that within-person variation is
 * even in every direction, leaving mostly what tells people apart.
 * <pre>
 *   x = v / |v|                      (v: the embedder's raw vector; with flip_average, v is the mean of the
 *                                     face's and its mirrored chip's unit vectors)
 *   y = matrix (x - mean)            (matrix: output_dimension rows of input_dimension values)
 *   result = y / |y|                 (compared by cosine similarity, like the raw vectors)
 * </pre>
 * Immutable, thread-safe. The app must store and search transformed vectors under their own model id
 * ({@link #modelId()}), never mixed with raw ones.
 */
public final class EmbeddingTransform {

    public static final String TASK = "embedding-transform";

    private final String name;
    private final String embedderId;
    private final boolean flipAverage;
    private final double[] mean;
    private final double[][] matrix;
    private final ScoreCohort cohort;

    public EmbeddingTransform(String name, String embedderId, boolean flipAverage, double[] mean, double[][] matrix) {
        this(name, embedderId, flipAverage, mean, matrix, null);
    }

    /** {@code cohort}: the score normalisation searches apply to case faces, in this transform's output space; or null. */
    public EmbeddingTransform(String name, String embedderId, boolean flipAverage, double[] mean, double[][] matrix,
            ScoreCohort cohort) {
        this.name = Objects.requireNonNull(name, "name");
        this.embedderId = Objects.requireNonNull(embedderId, "embedderId");
        this.flipAverage = flipAverage;
        this.mean = mean.clone();
        this.matrix = new double[matrix.length][];
        for (int r = 0; r < matrix.length; r++) {
            if (matrix[r].length != mean.length) {
                throw new IllegalArgumentException("matrix row " + r + " has " + matrix[r].length + " values, "
                        + mean.length + " expected");
            }
            this.matrix[r] = matrix[r].clone();
        }
        if (matrix.length == 0) {
            throw new IllegalArgumentException("the matrix has no rows");
        }
        if (cohort != null && cohort.dimension() != matrix.length) {
            throw new IllegalArgumentException("the cohort's centres are " + cohort.dimension() + "-D, the output is "
                    + matrix.length + "-D");
        }
        this.cohort = cohort;
    }

    /** Opens a package (checksums verified by {@link ModelPackage#open}). */
    public static EmbeddingTransform open(Path dir) {
        ModelPackage pkg = ModelPackage.open(dir);
        JsonNode m = pkg.manifest();
        String where = "model package " + pkg.name();
        JsonNode p = pkg.jsonParameters(TASK, "an embedding transform");
        double[] mean = doubles(p.path("mean"), where + ": mean");
        JsonNode rows = p.path("matrix");
        if (!rows.isArray() || rows.isEmpty()) {
            throw new ModelUnavailable(where + ": matrix is missing");
        }
        double[][] matrix = new double[rows.size()][];
        for (int r = 0; r < matrix.length; r++) {
            matrix[r] = doubles(rows.get(r), where + ": matrix row " + r);
            if (matrix[r].length != mean.length) {
                throw new ModelUnavailable(where + ": matrix row " + r + " has " + matrix[r].length + " values for a "
                        + mean.length + "-D input");
            }
        }
        int dim = m.path("input").path("dimension").asInt(mean.length);
        if (dim != mean.length) {
            throw new ModelUnavailable(where + ": the manifest says a " + dim + "-D input, the parameters are "
                    + mean.length + "-D");
        }
        return new EmbeddingTransform(pkg.name(), m.path("input").path("embedder").asText(""),
                m.path("input").path("flip_average").asBoolean(false), mean, matrix, cohort(p.path("cohort"), matrix.length, where));
    }

    private static ScoreCohort cohort(JsonNode c, int dimension, String where) {
        if (c.isMissingNode() || c.isNull()) {
            return null;
        }
        JsonNode rows = c.path("centres");
        if (!rows.isArray() || rows.isEmpty()) {
            throw new ModelUnavailable(where + ": cohort.centres is missing");
        }
        float[][] centres = new float[rows.size()][];
        for (int r = 0; r < centres.length; r++) {
            double[] v = doubles(rows.get(r), where + ": cohort centre " + r);
            if (v.length != dimension) {
                throw new ModelUnavailable(where + ": cohort centre " + r + " has " + v.length + " values for a " + dimension
                        + "-D output");
            }
            centres[r] = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                centres[r][i] = (float) v[i];
            }
        }
        int top = c.path("top").asInt(0);
        if (top < 1 || top > centres.length) {
            throw new ModelUnavailable(where + ": cohort.top must be from 1 to " + centres.length + ", not " + c.path("top"));
        }
        return new ScoreCohort(centres, top);
    }

    /** The package name; the model id of the vectors it produces is {@link #modelId()}. */
    public String name() {
        return name;
    }

    /** The embedder whose raw vectors this transform reads. */
    public String embedderId() {
        return embedderId;
    }

    /** The id to store beside transformed vectors: embedder + "+" + transform. */
    public String modelId() {
        return embedderId + "+" + name;
    }

    /** Whether the input is the mean of a face's unit vector and its mirrored chip's unit vector. */
    public boolean flipAverage() {
        return flipAverage;
    }

    public int inputDimension() {
        return mean.length;
    }

    public int outputDimension() {
        return matrix.length;
    }

    /** The mean subtracted from the unit input (a copy). */
    public double[] mean() {
        return mean.clone();
    }

    /** The linear map, output_dimension rows of input_dimension values (a copy). */
    public double[][] matrix() {
        double[][] copy = new double[matrix.length][];
        for (int r = 0; r < matrix.length; r++) {
            copy[r] = matrix[r].clone();
        }
        return copy;
    }

    /** The cohort normalisation searches apply to case faces under this model, if the package has one. */
    public Optional<ScoreCohort> cohort() {
        return Optional.ofNullable(cohort);
    }

    /** The transformed unit vector of a raw embedding. */
    public float[] apply(float[] raw) {
        if (raw.length != mean.length) {
            throw new IllegalArgumentException("expected a " + mean.length + "-D " + embedderId + " vector, got " + raw.length);
        }
        double n = 0;
        for (float v : raw) {
            n += (double) v * v;
        }
        double inv = n == 0 ? 0 : 1 / Math.sqrt(n);
        double[] x = new double[raw.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = raw[i] * inv - mean[i];
        }
        float[] y = new float[matrix.length];
        double ny = 0;
        for (int r = 0; r < matrix.length; r++) {
            double s = 0;
            double[] row = matrix[r];
            for (int i = 0; i < x.length; i++) {
                s += row[i] * x[i];
            }
            y[r] = (float) s;
            ny += s * s;
        }
        if (ny > 0) {
            double invY = 1 / Math.sqrt(ny);
            for (int r = 0; r < y.length; r++) {
                y[r] = (float) (y[r] * invY);
            }
        }
        return y;
    }

    /**
     * The transformed vector of one face from its raw embedding and its mirrored chip's: flip-averaged first when
     * {@link #flipAverage()} (then {@code mirrored} is required), else the raw embedding alone.
     */
    public float[] applyToFace(float[] raw, float[] mirrored) {
        if (!flipAverage) {
            return apply(raw);
        }
        if (mirrored == null) {
            throw new IllegalArgumentException(name + " needs the mirrored chip's vector too");
        }
        return apply(flipAveraged(raw, mirrored));
    }

    /** The mean of the unit vectors of a face and of its mirrored chip: the input when {@link #flipAverage()}. */
    public static float[] flipAveraged(float[] raw, float[] mirrored) {
        float[] a = Similarity.normalised(raw);
        float[] b = Similarity.normalised(mirrored);
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (a[i] + b[i]) / 2;
        }
        return out;
    }

    private static double[] doubles(JsonNode array, String what) {
        if (!array.isArray() || array.isEmpty()) {
            throw new ModelUnavailable(what + " is missing");
        }
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = array.get(i);
            if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
                throw new ModelUnavailable(what + "[" + i + "] is not a finite number");
            }
            out[i] = v.asDouble();
        }
        return out;
    }

    @Override
    public String toString() {
        return "EmbeddingTransform[" + modelId() + ", " + inputDimension() + " -> " + outputDimension()
                + (flipAverage ? ", flip-averaged input" : "")
                + (cohort == null ? "" : ", cohort of " + cohort.size() + " centres, top " + cohort.top()) + "]";
    }
}
