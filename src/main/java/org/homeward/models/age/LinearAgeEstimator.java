package org.homeward.models.age;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.homeward.models.AgeEstimator;
import org.homeward.models.ModelPackage;
import org.homeward.models.ModelUnavailable;

/**
 * The age estimator of package {@code homeward-age-estimator-v1}: a ridge regression on the raw
 * 128-D descriptor of {@code dlib-face-embedder-v1}, predicting either the age itself or
 * log(age + c), trained by {@code deploy/models/train_age_estimator.py} (see docs/age-estimator.md).
 * <pre>
 *   y     = bias + sum_i weights[i] * x[i]                       (double)
 *   years = y                  (target.kind "years")
 *         = exp(y) - target.c  (target.kind "log_age_plus_c")
 *   years = min(max(years, 0), max_years)
 *   uncertainty = rms_error of the last uncertainty.table row whose predicted_from &lt;= years
 * </pre>
 * Pure Java, no engine: about 128 multiply-adds per face. Thread-safe (immutable).
 */
public final class LinearAgeEstimator implements AgeEstimator {

    public static final String TASK = "age-estimation";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String modelId;
    private final String embedderId;
    private final double[] weights;
    private final double bias;
    private final boolean logTarget;
    private final double shift;
    private final double maxYears;
    private final double[] bandFrom;
    private final float[] bandUncertainty;

    public LinearAgeEstimator(ModelPackage pkg) {
        JsonNode manifest = pkg.manifest();
        String where = "model package " + pkg.name();
        if (!TASK.equals(manifest.path("task").asText())) {
            throw new ModelUnavailable(where + " is not an age estimator (task '"
                    + manifest.path("task").asText() + "', expected '" + TASK + "')");
        }
        this.modelId = pkg.id();
        this.embedderId = manifest.path("input").path("embedder").asText("");
        if (embedderId.isEmpty()) {
            throw new ModelUnavailable(where + ": manifest input.embedder is missing");
        }
        String paramsName = manifest.path("method").path("parameters_file").asText("parameters.json");
        // ModelPackage.open checked every file listed under "files": insist the parameters are one of them.
        if (!manifest.path("files").has(paramsName)) {
            throw new ModelUnavailable(where + ": " + paramsName + " is not listed (with its checksum) in the manifest");
        }
        JsonNode p;
        Path paramsFile = pkg.file(paramsName);
        try {
            p = JSON.readTree(Files.readAllBytes(paramsFile));
        } catch (IOException e) {
            throw new ModelUnavailable(where + ": cannot read " + paramsFile, e);
        }
        if (p.has("projection")) {
            throw new ModelUnavailable(where + ": method '" + p.path("method").asText()
                    + "' uses a projection; " + getClass().getSimpleName() + " applies linear models only");
        }
        int dim = manifest.path("input").path("dimension").asInt(p.path("input_dimension").asInt(-1));
        this.weights = doubles(p.path("weights"));
        if (dim <= 0 || weights.length != dim) {
            throw new ModelUnavailable(where + ": " + weights.length + " weights for input dimension " + dim);
        }
        this.bias = number(p.path("bias"), where + ": bias");
        String kind = p.path("target").path("kind").asText();
        switch (kind) {
            case "years" -> {
                this.logTarget = false;
                this.shift = 0;
            }
            case "log_age_plus_c" -> {
                this.logTarget = true;
                this.shift = number(p.path("target").path("c"), where + ": target.c");
            }
            default -> throw new ModelUnavailable(where + ": unknown target kind '" + kind + "'");
        }
        this.maxYears = number(p.path("max_years"), where + ": max_years");
        JsonNode table = p.path("uncertainty").path("table");
        if (!table.isArray() || table.isEmpty()) {
            throw new ModelUnavailable(where + ": uncertainty.table is missing");
        }
        this.bandFrom = new double[table.size()];
        this.bandUncertainty = new float[table.size()];
        for (int i = 0; i < table.size(); i++) {
            bandFrom[i] = number(table.get(i).path("predicted_from"), where + ": uncertainty.table[" + i + "]");
            bandUncertainty[i] = (float) number(table.get(i).path("rms_error"), where + ": uncertainty.table[" + i + "]");
            if (i > 0 && bandFrom[i] <= bandFrom[i - 1]) {
                throw new ModelUnavailable(where + ": uncertainty.table is not in increasing order");
            }
        }
    }

    @Override
    public String modelId() {
        return modelId;
    }

    @Override
    public String embedderId() {
        return embedderId;
    }

    /** The embedding must come from {@link #embedderId()}, unnormalised, with {@code weights.length} values. */
    @Override
    public AgeEstimate estimate(float[] embedding) {
        if (embedding == null || embedding.length != weights.length) {
            throw new IllegalArgumentException("expected a " + weights.length + "-D " + embedderId + " embedding, got "
                    + (embedding == null ? "null" : embedding.length + " values"));
        }
        double y = bias;
        for (int i = 0; i < weights.length; i++) {
            float v = embedding[i];
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("embedding value " + i + " is " + v);
            }
            y += weights[i] * v;
        }
        double years = logTarget ? Math.exp(y) - shift : y;
        years = Math.min(Math.max(years, 0.0), maxYears);
        return new AgeEstimate((float) years, uncertaintyAt(years));
    }

    @Override
    public float uncertaintyAt(double years) {
        float u = bandUncertainty[0];
        for (int i = 0; i < bandFrom.length && years >= bandFrom[i]; i++) {
            u = bandUncertainty[i];
        }
        return u;
    }

    private static double[] doubles(JsonNode array) {
        if (!array.isArray()) {
            return new double[0];
        }
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = number(array.get(i), "weights[" + i + "]");
        }
        return out;
    }

    private static double number(JsonNode n, String what) {
        if (n == null || !n.isNumber() || !Double.isFinite(n.asDouble())) {
            throw new ModelUnavailable(what + " is not a finite number");
        }
        return n.asDouble();
    }

    @Override
    public String toString() {
        return "LinearAgeEstimator[" + modelId + " on " + embedderId + ", " + weights.length + " weights, target "
                + (logTarget ? "log(age + " + shift + ")" : "years") + ", bands from " + Arrays.toString(bandFrom) + "]";
    }
}
