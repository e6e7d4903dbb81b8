package org.homeward.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.homeward.matching.CaseRanker;
import org.homeward.matching.EmbeddingTransform;

/**
 * Writes a learned transform as a model package (manifest.json + parameters.json) that
 * {@link EmbeddingTransform#open} reads: aggregate numbers only (a mean vector and a matrix), no face, vector
 * or label of the training data.
 */
final class TransformPackage {

    static final String NAME = "homeward-embedding-transform-v1";
    static final String VERSION = "1.0.0";

    private TransformPackage() {
    }

    static void write(Path dir, TransformRecipe recipe, List<TransformRecipe.Sample> samples, double childMax, double adultMin,
            String embedderId, Manifest manifest, List<CrossValidation.Row> rows, EvalCommand.Options o) throws IOException {
        EmbeddingTransform t = recipe.fit(samples, childMax, adultMin, NAME, embedderId);
        Files.createDirectories(dir);

        ObjectNode params = EvalCommand.JSON.createObjectNode();
        params.put("input_dimension", t.inputDimension());
        params.put("output_dimension", t.outputDimension());
        double[] mean = t.mean();
        ArrayNode m = params.putArray("mean");
        for (double v : mean) {
            m.add((float) v);
        }
        ArrayNode matrix = params.putArray("matrix");
        for (double[] row : t.matrix()) {
            ArrayNode r = matrix.addArray();
            for (double v : row) {
                r.add((float) v);
            }
        }
        byte[] paramBytes = (EvalCommand.JSON.writeValueAsString(params) + "\n").getBytes(StandardCharsets.UTF_8);

        ObjectNode man = EvalCommand.JSON.createObjectNode();
        man.put("name", NAME);
        man.put("version", VERSION);
        man.put("task", EmbeddingTransform.TASK);
        man.put("format", "json-parameters");
        man.put("licence", "LicenseRef-Homeward-research-use");
        man.put("licence_note", "Learned by the Homeward project on the FG-NET Aging Database (dev half), which is licensed for"
                + " research use only. The parameters are aggregate numbers (a mean vector and a linear map); no photo, face,"
                + " descriptor or label is stored. Whether parameters learned from research-only data may be used beyond"
                + " research is not settled: treat this package as research use, and relearn on data with a licence for"
                + " your use before any operational deployment.");
        ObjectNode input = man.putObject("input");
        input.put("embedder", embedderId);
        input.put("dimension", t.inputDimension());
        input.put("dtype", "float32");
        input.put("flip_average", recipe.flip());
        input.put("vector", recipe.flip()
                ? "the mean of the unit vectors of the face's chip and of the same chip mirrored left to right, both embedded by "
                        + embedderId
                : "the raw descriptor of " + embedderId + " for the face's chip");
        input.put("pipeline", "the app's FacePipeline: dlib-face-detector-mmod -> dlib-shape-predictor-5 -> dlib face chip"
                + " (150, padding 0.25) -> " + embedderId + "; with flip_average, the same chip mirrored is embedded too");
        ObjectNode method = man.putObject("method");
        method.put("name", recipe.label());
        method.put("steps", recipe.describe());
        ArrayNode formula = method.putArray("formula");
        formula.add("x = v / |v|  (v: the input vector above)");
        formula.add("y = matrix (x - mean)  (matrix: output_dimension rows of input_dimension values)");
        formula.add("result = y / |y|; compare results by cosine similarity");
        method.put("learned", "mean = the mean unit input vector; matrix = W^(-1/2) P, where P = I - U U^T removes the "
                + recipe.nap() + " main directions U of the differences between one person's adult (age >= "
                + Tracing.fmt(adultMin) + ") and childhood (age <= " + Tracing.fmt(childMax) + ") centred vectors (each person"
                + " weighted equally), and W = (1 - " + recipe.wccnAlpha() + ") Sw + " + recipe.wccnAlpha() + " tr(Sw)/d I"
                + " with Sw the within-person covariance of the projected vectors (each person weighted equally)");
        method.put("parameters_file", "parameters.json");
        ObjectNode hyper = method.putObject("hyper_parameters");
        hyper.put("nap_directions", recipe.nap());
        hyper.put("wccn_shrinkage", recipe.wccnAlpha());
        hyper.put("flip_average", recipe.flip());
        hyper.put("child_max_age", childMax);
        hyper.put("adult_min_age", adultMin);
        method.put("hyper_parameters_chosen_by", "cross-validation by identity on the training data (deploy/homeward eval cv;"
                + " docs/accuracy.md): tracing leaves each probe's identity out, verification each pair's two identities");
        ObjectNode caseScore = man.putObject("case_score");
        caseScore.put("aggregation", "soft-max");
        caseScore.put("temperature", CaseRanker.Policy.DEFAULT.temperature());
        caseScore.put("note", "org.homeward.matching.CaseRanker.DEFAULT: the rule these figures were measured with");
        ObjectNode output = man.putObject("output");
        output.put("dimension", t.outputDimension());
        output.put("meaning", "a unit vector to compare by cosine similarity with other vectors of this package only;"
                + " store it under model id " + t.modelId());
        ObjectNode training = man.putObject("training_data");
        training.put("dataset", "FG-NET dev half (research use), only aggregate parameters kept");
        training.put("photos", manifest.photos().size());
        training.put("faces_used", samples.size());
        training.put("identities", manifest.byIdentity().size());
        ObjectNode eval = man.putObject("evaluation");
        eval.put("protocol", "cross-validation by identity on FG-NET dev: tracing (each identity's photos at age <= "
                + Tracing.fmt(childMax) + " form a case; photos at age >= " + Tracing.fmt(adultMin) + " are probes), and"
                + " child-to-adult verification (all same-person child/adult pairs and as many different-person pairs)");
        ArrayNode figures = eval.putArray("figures");
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (CrossValidation.Row r : rows) {
            if (!seen.add(r.label() + "|" + r.ranking())) {
                continue;
            }
            boolean rule = r.ranking().equals(CaseRanker.Policy.MAX.toString())
                    || r.ranking().equals(CaseRanker.Policy.DEFAULT.toString());
            if (rule && (r.label().equals("plain embedding") || r.label().equals(recipe.label()))) {
                r.writeTo(figures.addObject());
            }
        }
        eval.put("command", "deploy/homeward eval " + String.join(" ", o.raw));
        PackageFiles.write(dir, man, paramBytes, "org.homeward.eval.TransformPackage (deploy/homeward eval cv --write-transform)");
    }
}
