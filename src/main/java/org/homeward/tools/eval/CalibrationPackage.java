package org.homeward.tools.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.homeward.matching.CaseRanker;
import org.homeward.models.EmbeddingTransform;
import org.homeward.matching.EvidenceCalibration;
import org.homeward.matching.EvidenceMapping;

/**
 * Writes an evidence calibration as a model package (manifest.json + parameters.json) that
 * {@link EvidenceCalibration#open} reads: four numbers and the figures that justify them; no face, vector, score or
 * label of the fitting data.
 */
final class CalibrationPackage {

    /** The FG-NET-only licence note of packages fitted by {@code eval calibrate}. */
    static final String FGNET_LICENCE_NOTE = "Learned by the Homeward project on the FG-NET Aging Database (dev half), which"
            + " is licensed for research use only. The parameters are aggregate numbers (two calibration coefficients and two"
            + " bounds); no photo, face, descriptor, score or label is stored. Whether parameters learned from research-only"
            + " data may be used beyond research is not settled: treat this package as research use, and refit on data with"
            + " a licence for your use before any operational deployment.";

    /** Where the scores came from, for the manifest: the data (and its terms), the protocol and the search model. */
    record Provenance(String licenceNote, String dataset, List<Path> manifestFiles, int photos, int identities, int cases,
            int probes, double childMax, double adultMin, String embedderId, String settingsDigest, Path transformDir,
            EmbeddingTransform transform, String scoresOutOfSample, String command) {
    }

    private CalibrationPackage() {
    }

    static void write(Path dir, EvidenceCalibration calibration, Calibrate.Result r, Map<String, Calibrate.Figures> byGroup,
            Provenance p) throws IOException {
        EvidenceMapping m = r.mapping();
        ObjectNode params = EvalCommand.JSON.createObjectNode();
        ObjectNode lr = params.putObject("log10_lr");
        lr.put("intercept", m.intercept());
        lr.put("slope", m.slope());
        lr.put("formula", "log10 LR = intercept + slope * case score");
        ObjectNode bounds = params.putObject("bounds");
        bounds.put("min_log10_lr", m.minLog10());
        bounds.put("max_log10_lr", m.maxLog10());
        bounds.put("method", "ELUB (empirical lower and upper bound), grid step " + CalibrationFit.BOUND_STEP + " in log10");
        byte[] paramBytes = EvalCommand.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(params)
                .concat("\n").getBytes(StandardCharsets.UTF_8);

        ObjectNode man = EvalCommand.JSON.createObjectNode();
        man.put("name", calibration.name());
        man.put("version", calibration.version());
        man.put("task", EvidenceCalibration.TASK);
        man.put("format", "json-parameters");
        man.put("licence", "LicenseRef-Homeward-research-use");
        man.put("licence_note", p.licenceNote());

        ObjectNode input = man.putObject("input");
        input.put("search_model_id", calibration.modelId());
        input.put("embedder", p.embedderId());
        if (p.transform() != null) {
            ObjectNode t = input.putObject("transform");
            t.put("name", p.transform().name());
            t.put("package_manifest_sha256", PackageFiles.sha256(Files.readAllBytes(p.transformDir().resolve("manifest.json"))));
            t.put("flip_average", p.transform().flipAverage());
        }
        ObjectNode caseScore = input.putObject("case_score");
        caseScore.put("rule", CaseRanker.DEFAULT.policy().toString());
        caseScore.put("computed_by", "org.homeward.matching.CaseRanker.DEFAULT.caseScore over the cosine similarities of ALL"
                + " the case's searchable faces to the probe face (vectors stored under " + calibration.modelId() + ")"
                + (p.transform() != null && p.transform().cohort().isPresent()
                        ? ", each minus its case face's cohort mean (the transform package's cohort)" : ""));
        input.put("probe", "one face of a photo at age >= " + Tracing.fmt(p.adultMin()));
        input.put("case", "one person's photos at age <= " + Tracing.fmt(p.childMax()));
        input.put("genuine_score", "a probe against its own person's case");
        input.put("impostor_score", "a probe against every other person's case");

        ObjectNode method = man.putObject("method");
        method.put("name", "logistic-regression calibration with empirical lower and upper bounds (ELUB)");
        ArrayNode formula = method.putArray("formula");
        formula.add("s = the case score (input.case_score)");
        formula.add("log10 LR = min(max(intercept + slope * s, min_log10_lr), max_log10_lr)  (parameters.json)");
        formula.add("band = the ENFSI (2015) verbal scale of the LR, mirrored below 1 (EvidenceCalibration.Band)");
        method.put("fitted", "intercept and slope minimise the cross-entropy of the genuine and impostor case scores with both"
                + " classes weighted equally (prior 0.5), so intercept + slope * s is the log likelihood ratio; the bounds are"
                + " the ELUB of the fitted LRs of the same scores (one misleading score of each kind added), never beyond"
                + " log10(impostor scores + 1) and -log10(genuine scores + 1)");
        ArrayNode refs = method.putArray("references");
        refs.add("N. Brümmer, J. du Preez (2006), Application-independent evaluation of speaker detection, Computer Speech and"
                + " Language 20: 230-275 (logistic-regression calibration, Cllr)");
        refs.add("G.S. Morrison (2013), Tutorial on logistic-regression calibration and fusion, Australian Journal of Forensic"
                + " Sciences 45: 173-197");
        refs.add("P. Vergeer, A. van Es, A. de Jongh, I. Alberink, R. Stoel (2016), Numerical likelihood ratios outputted by LR"
                + " systems are often based on extrapolation: when to stop extrapolating?, Science and Justice 56: 482-491 (ELUB)");
        refs.add("ENFSI Guideline for Evaluative Reporting in Forensic Science (2015), verbal scale");
        method.put("parameters_file", "parameters.json");

        ObjectNode fitted = man.putObject("fitted_on");
        fitted.put("dataset", p.dataset());
        ArrayNode manifests = fitted.putArray("manifests");
        for (Path file : p.manifestFiles()) {
            ObjectNode entry = manifests.addObject();
            entry.put("file", file.toString());
            entry.put("sha256", PackageFiles.sha256(Files.readAllBytes(file)));
        }
        fitted.put("photos", p.photos());
        fitted.put("identities", p.identities());
        fitted.put("cases", p.cases());
        fitted.put("probes", p.probes());
        fitted.put("genuine_scores", r.inSample().genuine().length);
        fitted.put("impostor_scores", r.inSample().impostor().length);
        fitted.put("scores_out_of_sample", p.scoresOutOfSample());
        fitted.put("pipeline", "the app's FacePipeline through org.homeward.tools.eval.PhotoEmbeddings (settings digest "
                + p.settingsDigest() + ")");

        ObjectNode eval = man.putObject("evaluation");
        figures(eval.putObject("in_sample"), r.inSample());
        ObjectNode held = eval.putObject("held_out");
        held.put("protocol", "cross-validation by identity: each of the " + r.folds() + " people with a genuine score is held"
                + " out in turn; a calibration fitted on the scores without that person (as probe or case) gives the LRs of"
                + " that person's probes against every case");
        figures(held, r.heldOut());
        held.put("cllr_without_bounds", EvalCommand.round(r.heldOutCllrUnbounded()));
        ObjectNode top = held.putObject("top_impostor_of_each_probe_bands");
        CalibrationMetrics.bands(r.topImpostorHeldOut()).forEach((band, n) -> {
            if (n > 0) {
                top.put(band.label(), n);
            }
        });
        ObjectNode groups = held.putObject("by_group");
        byGroup.forEach((label, f) -> {
            ObjectNode g = groups.putObject(label);
            g.put("genuine_scores", f.genuine().length);
            g.put("impostor_scores", f.impostor().length);
            g.put("cllr", EvalCommand.round(f.cllr()));
            g.put("cllr_min", EvalCommand.round(f.cllrMin()));
            g.put("median_genuine_log10_lr", EvalCommand.round(f.medianGenuine()));
            g.put("median_impostor_log10_lr", EvalCommand.round(f.medianImpostor()));
        });
        eval.put("command", p.command());

        PackageFiles.write(dir, man, paramBytes, "org.homeward.tools.eval.Calibrate (deploy/homeward eval calibrate)");
    }

    private static void figures(ObjectNode n, Calibrate.Figures f) {
        n.put("cllr", EvalCommand.round(f.cllr()));
        n.put("cllr_min", EvalCommand.round(f.cllrMin()));
        n.put("genuine_scores", f.genuine().length);
        n.put("impostor_scores", f.impostor().length);
        for (boolean genuine : new boolean[] {true, false}) {
            ObjectNode q = n.putObject((genuine ? "genuine" : "impostor") + "_log10_lr_quantiles");
            for (double at : Calibrate.QUANTILES) {
                q.put(at == 0 ? "min" : at == 1 ? "max" : String.format(Locale.ROOT, "p%02d", Math.round(at * 100)),
                        EvalCommand.round(CalibrationMetrics.quantile(genuine ? f.genuine() : f.impostor(), at)));
            }
        }
        ObjectNode bands = n.putObject("bands");
        Calibrate.bandCounts(f).forEach((band, counts) -> {
            if (counts[0] + counts[1] > 0) {
                ObjectNode b = bands.putObject(band.label());
                b.put("genuine", counts[0]);
                b.put("impostor", counts[1]);
            }
        });
    }

}
