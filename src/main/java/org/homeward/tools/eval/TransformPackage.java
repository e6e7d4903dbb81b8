package org.homeward.tools.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.homeward.matching.CaseRanker;
import org.homeward.models.EmbeddingTransform;
import org.homeward.models.ScoreCohort;
import org.homeward.tools.Main;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Writes a learned transform as a model package (manifest.json, parameters.json, known-answers.json) that
 * {@link EmbeddingTransform#open} reads: aggregate numbers only (a mean vector, a matrix and, with a cohort, centres
 * each summing up several faces), no face, vector or label of the training data. The known answers are the
 * transform's output on dlib's own descriptors of public-domain photos, which every process checks before it
 * trusts the package (org.homeward.faces.ModelSelfTest).
 */
final class TransformPackage {

    /** The inputs of the known answers: descriptors dlib itself computed (deploy/models/known-answers). */
    static final Path KNOWN_INPUTS = Path.of("deploy/models/known-answers/dlib-descriptors.json");
    static final double KNOWN_ANSWER_TOLERANCE = 1e-5;

    /** Where a package's parameters came from and how they were judged: the manifest's words and figures. */
    record Provenance(String name, String version, String licenceNote, String dataset, int photos, int facesUsed,
            int identities, String chosenBy, String protocol, Consumer<ArrayNode> figures) {
    }

    private TransformPackage() {
    }

    static void write(Path dir, TransformRecipe recipe, EmbeddingTransform t, double childMax, double adultMin,
            Provenance p, CommandSpec command) throws IOException {
        ObjectNode params = EvalCommand.JSON.createObjectNode();
        params.put("input_dimension", t.inputDimension());
        params.put("output_dimension", t.outputDimension());
        floats(params.putArray("mean"), t.mean());
        ArrayNode matrix = params.putArray("matrix");
        for (double[] row : t.matrix()) {
            floats(matrix.addArray(), row);
        }
        ScoreCohort cohort = t.cohort().orElse(null);
        if (cohort != null) {
            ObjectNode c = params.putObject("cohort");
            c.put("top", cohort.top());
            ArrayNode centres = c.putArray("centres");
            for (float[] centre : cohort.centres()) {
                ArrayNode a = centres.addArray();
                for (float v : centre) {
                    a.add(v);
                }
            }
        }
        byte[] paramBytes = (EvalCommand.JSON.writeValueAsString(params) + "\n").getBytes(StandardCharsets.UTF_8);

        ObjectNode man = EvalCommand.JSON.createObjectNode();
        man.put("name", p.name());
        man.put("version", p.version());
        man.put("task", EmbeddingTransform.TASK);
        man.put("format", "json-parameters");
        man.put("licence", "LicenseRef-Homeward-research-use");
        man.put("licence_note", p.licenceNote());
        ObjectNode input = man.putObject("input");
        String embedderId = t.embedderId();
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
        if (cohort != null) {
            formula.add("a case face's score against a sighting = cosine(result_case, result_sighting) - the mean of the case"
                    + " face's " + cohort.top() + " highest cosine similarities to cohort.centres");
        }
        method.put("learned", "mean = the mean unit input vector; matrix = W^(-1/2) P, where P = I - U U^T removes the "
                + recipe.nap() + " main directions U of the differences between one person's adult (age >= "
                + Tracing.fmt(adultMin) + ") and childhood (age <= " + Tracing.fmt(childMax) + ") centred vectors (each person"
                + " weighted equally), and W = (1 - " + recipe.wccnAlpha() + ") Sw + " + recipe.wccnAlpha() + " tr(Sw)/d I"
                + " with Sw the within-person covariance of the projected vectors (each person weighted equally)"
                + (cohort == null ? "" : "; cohort.centres = " + cohort.size() + " centres of a spherical k-means of the"
                        + " training adults' results (each centre sums up several faces, none is one person's vector)"));
        method.put("parameters_file", PackageFiles.PARAMETERS);
        ObjectNode hyper = method.putObject("hyper_parameters");
        hyper.put("nap_directions", recipe.nap());
        hyper.put("wccn_shrinkage", recipe.wccnAlpha());
        hyper.put("flip_average", recipe.flip());
        hyper.put("child_max_age", childMax);
        hyper.put("adult_min_age", adultMin);
        if (cohort != null) {
            hyper.put("cohort_centres", cohort.size());
            hyper.put("cohort_top", cohort.top());
        }
        method.put("hyper_parameters_chosen_by", p.chosenBy());
        ObjectNode caseScore = man.putObject("case_score");
        caseScore.put("aggregation", "soft-max");
        caseScore.put("temperature", CaseRanker.Policy.DEFAULT.temperature());
        caseScore.put("note", "org.homeward.matching.CaseRanker.DEFAULT: the rule these figures were measured with");
        ObjectNode output = man.putObject("output");
        output.put("dimension", t.outputDimension());
        output.put("meaning", "a unit vector to compare by cosine similarity with other vectors of this package only;"
                + " store it under model id " + t.modelId());
        ObjectNode training = man.putObject("training_data");
        training.put("dataset", p.dataset());
        training.put("photos", p.photos());
        training.put("faces_used", p.facesUsed());
        training.put("identities", p.identities());
        ObjectNode eval = man.putObject("evaluation");
        eval.put("protocol", p.protocol());
        p.figures().accept(eval.putArray("figures"));
        eval.put("command", Main.commandLine(command));
        PackageFiles.write(dir, man, paramBytes, knownAnswers(t),
                "org.homeward.tools.eval.TransformPackage (deploy/homeward eval " + command.name() + " --write-transform)");
    }

    /** The transform's answers on dlib's own descriptors (and, with a cohort, each case's cohort mean). */
    static byte[] knownAnswers(EmbeddingTransform t) throws IOException {
        if (!Files.isRegularFile(KNOWN_INPUTS)) {
            throw new EvalInputError(KNOWN_INPUTS + " is missing: run from the repository's root folder");
        }
        JsonNode inputs = EvalCommand.JSON.readTree(KNOWN_INPUTS.toFile());
        ObjectNode k = EvalCommand.JSON.createObjectNode();
        k.put("about", "Known answers of this package's formula on " + t.embedderId() + " descriptors that dlib 19.24 itself"
                + " computed (src/test/resources/dlib-reference: skimage's astronaut and camera, matplotlib's grace_hopper;"
                + " public-domain photos), as Homeward's implementation gave them when the package was made; checked by every"
                + " process that opens the bundle (org.homeward.faces.ModelSelfTest).");
        k.put("self_test_version", 1);
        k.put("tolerance", KNOWN_ANSWER_TOLERANCE);
        k.put("mirrored_note", inputs.path("mirrored_note").asText());
        ArrayNode cases = k.putArray("cases");
        for (JsonNode in : inputs.path("cases")) {
            ObjectNode c = cases.addObject();
            c.put("photo", in.path("photo").asText());
            c.set("raw", in.path("raw"));
            c.set("mirrored", in.path("mirrored"));
            float[] v = t.applyToFace(floats(in.path("raw")), floats(in.path("mirrored")));
            ArrayNode out = c.putArray("vector");
            for (float x : v) {
                out.add(x);
            }
            t.cohort().ifPresent(cohort -> c.put("cohort_mean", cohort.mean(v)));
        }
        return (EvalCommand.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(k) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The figures of the rows whose label is the plain embedding's or the kept recipe's, once each. */
    static <R> Consumer<ArrayNode> figuresOf(List<R> rows, Predicate<R> keep,
            BiConsumer<R, ObjectNode> write) {
        return array -> rows.stream().filter(keep).forEach(r -> write.accept(r, array.addObject()));
    }

    private static void floats(ArrayNode array, double[] values) {
        for (double v : values) {
            array.add((float) v);
        }
    }

    private static float[] floats(JsonNode a) {
        float[] v = new float[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) a.get(i).asDouble();
        }
        return v;
    }
}
