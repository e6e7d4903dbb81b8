package org.homeward.tools.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.homeward.models.EmbeddingTransform;

/** The pairs report: figures, settings, ROC and score histograms, per-fold accuracy, and results by age when known. */
final class PairsReport {

    static final List<TracingReport.Band> YOUNGER = List.of(new TracingReport.Band("0-5", 0, 6),
            new TracingReport.Band("6-12", 6, 13), new TracingReport.Band("13-17", 13, 18),
            new TracingReport.Band("18 or older", 18, Double.POSITIVE_INFINITY));

    private PairsReport() {
    }

    /** Figures of the pairs whose value falls in each band (bands without a same pair are left out). */
    record Row(String label, int same, int different, double auc, double tarAtGlobalThreshold, double meanSame) {
    }

    static List<Row> byBand(List<Verification.ResolvedPair> pairs, double[] scores, List<TracingReport.Band> bands,
            ToDoubleFunction<Verification.ResolvedPair> value, double threshold) {
        List<Row> rows = new ArrayList<>();
        for (TracingReport.Band band : bands) {
            List<Double> g = new ArrayList<>();
            List<Double> im = new ArrayList<>();
            for (int i = 0; i < pairs.size(); i++) {
                double v = value.applyAsDouble(pairs.get(i));
                if (!Double.isNaN(v) && band.contains(v)) {
                    (pairs.get(i).pair().same() ? g : im).add(scores[i]);
                }
            }
            if (g.isEmpty()) {
                continue;
            }
            double[] ga = g.stream().mapToDouble(Double::doubleValue).toArray();
            double[] ia = im.stream().mapToDouble(Double::doubleValue).toArray();
            long accepted = g.stream().filter(s -> s > threshold).count();
            rows.add(new Row(band.label(), ga.length, ia.length, Metrics.auc(ga, ia), (double) accepted / ga.length,
                    g.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN)));
        }
        return rows;
    }

    static double younger(Verification.ResolvedPair p) {
        return p.a().age() == null || p.b().age() == null ? Double.NaN : Math.min(p.a().age(), p.b().age());
    }

    static double gap(Verification.ResolvedPair p) {
        return p.a().age() == null || p.b().age() == null ? Double.NaN : Math.abs(p.a().age() - p.b().age());
    }

    static void write(Path dir, PairsCommand o, PairsList list, List<Verification.ResolvedPair> pairs, double[] scores,
            Verification.Figures f, Map<Path, PhotoEmbeddings.Face> faces, PhotoEmbeddings embeddings, String model,
            ObjectNode json, boolean flip, EmbeddingTransform transform) throws IOException {
        List<Double> g = new ArrayList<>();
        List<Double> im = new ArrayList<>();
        int noFacePairs = 0;
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] == Verification.NO_FACE_SCORE) {
                noFacePairs++;
                continue;
            }
            (pairs.get(i).pair().same() ? g : im).add(scores[i]);
        }
        double[] allG = new double[f.same()];
        double[] allI = new double[f.different()];
        int gi = 0;
        int ii = 0;
        for (int i = 0; i < scores.length; i++) {
            if (pairs.get(i).pair().same()) {
                allG[gi++] = scores[i];
            } else {
                allI[ii++] = scores[i];
            }
        }
        Charts.roc(dir.resolve("roc.png"), "Verification ROC", Metrics.roc(allG, allI));
        Charts.histograms(dir.resolve("scores.png"), "Pair scores (pairs with a face on both photos)",
                g.stream().mapToDouble(Double::doubleValue).toArray(), im.stream().mapToDouble(Double::doubleValue).toArray());
        double threshold = Metrics.thresholdAtFar(allI, 1e-2);

        Report report = new Report("Pairs evaluation: " + model);
        report.section("Result").code(EvalCommand.JSON.writeValueAsString(json));
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("pairs list", list.file() + " (" + f.same() + " same, " + f.different() + " different)");
        counts.put("photos", o.imagesRoot != null ? o.imagesRoot + "/name/name_%04d.jpg"
                : "photo i of identity name in " + o.manifest);
        counts.put("folds", list.foldsFrom());
        counts.put("accuracy", Report.num(f.accuracy()) + " +- " + Report.num(f.accuracyStd())
                + " (per fold, the threshold with the best accuracy on the other folds; std over folds, population)");
        counts.put("TAR at FAR", "1e-2: " + Report.num(f.tarAtFar1e2()) + ", 1e-3: " + Report.num(f.tarAtFar1e3())
                + " (accepted: score strictly above the (k+1)-th highest different-pair score, k = floor(FAR x different pairs))");
        counts.put("photos without a usable face", json.get("no_face").asLong() + ", in " + noFacePairs
                + " pairs, which score " + Verification.NO_FACE_SCORE + " (below every real score)");
        if (noFacePairs > 0 && !g.isEmpty() && !im.isEmpty()) {
            double[] ga = g.stream().mapToDouble(Double::doubleValue).toArray();
            double[] ia = im.stream().mapToDouble(Double::doubleValue).toArray();
            counts.put("pairs with a usable face on both photos", String.format(Locale.ROOT,
                    "%d (%d same, %d different): AUC %.4f, TAR at FAR 1e-2 %.4f, at 1e-3 %.4f (the matcher alone, without the"
                            + " photos the quality gate or the detector refused)", ga.length + ia.length, ga.length, ia.length,
                    Metrics.auc(ga, ia), Metrics.tarAtFar(ga, ia, 1e-2), Metrics.tarAtFar(ga, ia, 1e-3)));
        }
        report.keyValues(counts);
        report.section("ROC and score distributions").image("roc.png", "ROC").image("scores.png", "score histograms");

        List<List<String>> foldRows = new ArrayList<>();
        for (int k = 0; k < list.folds(); k++) {
            foldRows.add(List.of(Integer.toString(k + 1), Report.num(f.folds().thresholds()[k]), Report.pct(f.folds().perFold()[k])));
        }
        report.section("Folds").table(List.of("fold", "threshold (from the other folds)", "accuracy"), foldRows);

        ObjectNode result = EvalCommand.JSON.createObjectNode();
        result.set("summary", json);
        boolean ages = pairs.stream().allMatch(p -> !Double.isNaN(gap(p)));
        if (ages) {
            List<Row> byYounger = byBand(pairs, scores, YOUNGER, PairsReport::younger, threshold);
            List<Row> byGap = byBand(pairs, scores, TracingReport.GAPS, PairsReport::gap, threshold);
            String note = String.format(Locale.ROOT, "TAR at the one threshold that gives FAR 1e-2 over all pairs (%.4f).", threshold);
            report.section("By age at the childhood photo (the younger photo of the pair)").text(note);
            report.table(headers(), byYounger.stream().map(PairsReport::cells).toList());
            report.section("By age gap between the two photos").text(note);
            report.table(headers(), byGap.stream().map(PairsReport::cells).toList());
            result.set("by_child_age", rows(byYounger));
            result.set("by_age_gap", rows(byGap));
        } else {
            report.section("By age").text("The photos' ages are not known in this mode (give --manifest with an age column"
                    + " to see results by age).");
        }
        report.noFaceSection(faces);
        report.section("Model and settings").keyValues(EvalCommand.settings(o.commandLine(), embeddings, model, flip, transform));
        report.write(dir.resolve("index.html"));
        EvalCommand.writeJson(dir.resolve("result.json"), result);
    }

    private static List<String> headers() {
        return List.of("group", "same pairs", "different pairs", "AUC", "TAR at the FAR-1e-2 threshold", "mean same-pair score");
    }

    private static List<String> cells(Row r) {
        return List.of(r.label(), Integer.toString(r.same()), Integer.toString(r.different()), Report.num(r.auc()),
                Report.pct(r.tarAtGlobalThreshold()), Report.num(r.meanSame()));
    }

    private static ArrayNode rows(List<Row> rows) {
        ArrayNode a = EvalCommand.JSON.createArrayNode();
        for (Row r : rows) {
            ObjectNode n = a.addObject();
            n.put("group", r.label());
            n.put("same", r.same());
            n.put("different", r.different());
            n.put("auc", EvalCommand.round(r.auc()));
            n.put("tar_at_global_far_1e-2_threshold", EvalCommand.round(r.tarAtGlobalThreshold()));
            n.put("mean_same_score", EvalCommand.round(r.meanSame()));
        }
        return a;
    }
}
