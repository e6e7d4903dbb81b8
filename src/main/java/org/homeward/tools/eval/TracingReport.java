package org.homeward.tools.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.homeward.matching.CaseRanker;
import org.homeward.models.EmbeddingTransform;

/** The tracing report: figures, settings, rank curve, ROC and score histograms, and results by age. */
final class TracingReport {

    /** Bands of the age at the childhood photo, and of the gap between it and the adult photo. */
    record Band(String label, double from, double below) {
        boolean contains(double v) {
            return v >= from && v < below;
        }
    }

    static final List<Band> GAPS = List.of(new Band("under 10 years", 0, 10), new Band("10-19 years", 10, 20),
            new Band("20-29 years", 20, 30), new Band("30 years or more", 30, Double.POSITIVE_INFINITY));

    private TracingReport() {
    }

    static List<Band> childBands(double childMax) {
        if (childMax < 6) {
            return List.of(new Band("0-" + Tracing.fmt(childMax), 0, Math.nextUp(childMax)));
        }
        return List.of(new Band("0-5", 0, 6), new Band("6-" + Tracing.fmt(childMax), 6, Math.nextUp(childMax)));
    }

    /** One row of a breakdown: which probes, how many cases took part, and their figures. */
    record Row(String label, int cases, Metrics.RankSummary summary) {
    }

    /** Tracing again with every case reduced to its photos in one band of age (distractor photos all stay). */
    static List<Row> byChildAge(Tracing tracing, Tracing.Scoring scoring, CaseRanker ranker, double childMax) {
        List<Row> rows = new ArrayList<>();
        Function<Path, float[]> vectorOf = scoring::vector;
        for (Band band : childBands(childMax)) {
            Predicate<Manifest.Photo> in = p -> p.age() == null || band.contains(p.age());
            List<Tracing.ProbeResult> r = tracing.runScored(tracing.probes(), probe -> scoring, ranker, in);
            int cases = (int) tracing.cases().values().stream()
                    .filter(list -> list.stream().anyMatch(p -> in.test(p) && vectorOf.apply(p.file()) != null)).count();
            rows.add(new Row(band.label(), cases, Metrics.ranks(Tracing.ranks(r))));
        }
        return rows;
    }

    /** The main run's probes grouped by the years between the case's oldest childhood photo with a face and the probe. */
    static List<Row> byAgeGap(List<Tracing.ProbeResult> results, int cases) {
        List<Row> rows = new ArrayList<>();
        for (Band band : GAPS) {
            int[] ranks = results.stream().filter(r -> r.ageGap() != null && band.contains(r.ageGap()))
                    .mapToInt(Tracing.ProbeResult::rank).toArray();
            if (ranks.length > 0) {
                rows.add(new Row(band.label(), cases, Metrics.ranks(ranks)));
            }
        }
        int[] unknown = results.stream().filter(r -> r.ageGap() == null).mapToInt(Tracing.ProbeResult::rank).toArray();
        if (unknown.length > 0) {
            rows.add(new Row("no childhood photo with a face", cases, Metrics.ranks(unknown)));
        }
        return rows;
    }

    static void write(Path dir, TracingCommand o, Tracing tracing, List<Tracing.ProbeResult> results,
            Tracing.Scoring scoring, CaseRanker ranker, Map<Path, PhotoEmbeddings.Face> faces,
            PhotoEmbeddings embeddings, String model, ObjectNode json, double childMax, double adultMin, boolean flip,
            EmbeddingTransform transform) throws IOException {
        int[] ranks = Tracing.ranks(results);
        List<Double> genuine = new ArrayList<>();
        List<Double> impostor = new ArrayList<>();
        for (Tracing.ProbeResult r : results) {
            if (!Double.isNaN(r.trueScore())) {
                genuine.add(r.trueScore());
                for (double s : r.otherScores()) {
                    impostor.add(s);
                }
            }
        }
        double[] g = genuine.stream().mapToDouble(Double::doubleValue).toArray();
        double[] im = impostor.stream().mapToDouble(Double::doubleValue).toArray();
        Charts.cmc(dir.resolve("cmc.png"), "Tracing: true case within the top k", ranks, 20);
        Charts.roc(dir.resolve("roc.png"), "Case scores: true case vs other cases (ROC)", Metrics.roc(g, im));
        Charts.histograms(dir.resolve("scores.png"), "Case scores: true case vs other cases", g, im);

        List<Row> byChild = byChildAge(tracing, scoring, ranker, childMax);
        List<Row> byGap = byAgeGap(results, tracing.cases().size());

        Report report = new Report("Tracing evaluation: " + model);
        report.section("Result").code(EvalCommand.JSON.writeValueAsString(json));
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("manifest", o.manifest);
        counts.put("distractors", o.distractors == null ? "none" : o.distractors);
        counts.put("cases", tracing.cases().size() + " (" + tracing.distractorCases() + " distractor identities): each identity's"
                + " photos at age <= " + Tracing.fmt(childMax));
        counts.put("probes", tracing.probes().size() + ": photos at age >= " + Tracing.fmt(adultMin)
                + " of identities that have a case");
        counts.put("probes searched", results.stream().filter(r -> !Double.isNaN(r.trueScore())).count()
                + " (a probe without a usable face counts as a miss: rank none, reciprocal rank 0)");
        int[] searched = results.stream().filter(r -> !Double.isNaN(r.trueScore())).mapToInt(Tracing.ProbeResult::rank).toArray();
        Metrics.RankSummary onSearched = Metrics.ranks(searched);
        counts.put("probes searched only", String.format(Locale.ROOT, "rank-1 %.4f, rank-5 %.4f, rank-10 %.4f, MRR %.4f"
                + " (the matcher alone, without the probes the quality gate or the detector refused)", onSearched.rank1(),
                onSearched.rank5(), onSearched.rank10(), onSearched.mrr()));
        counts.put("photos", faces.size() + ", " + json.get("no_face").asLong() + " without a usable face");
        counts.put("case score", ranker.policy() + " over the case's faces (org.homeward.matching.CaseRanker, as the app)");
        counts.put("rank", "1 + the number of other cases scoring at least as high as the true case (ties count against it)");
        counts.put("AUC of case scores", Report.num(Metrics.auc(g, im)) + " (true case vs every other case, per probe, pooled)");
        report.keyValues(counts);

        report.section("Rank curve, ROC and score distributions")
                .image("cmc.png", "share of probes with the true case in the top k")
                .image("roc.png", "ROC of case scores").image("scores.png", "histograms of case scores");

        report.section("By age at the childhood photo")
                .text("Tracing again with every case reduced to its photos in one age band (cases with no photo in the band"
                        + " leave the search, so the number of cases searched differs); probes of those cases only.");
        report.table(List.of("age at the childhood photo", "cases searched", "probes", "rank-1", "rank-5", "rank-10", "MRR"),
                byChild.stream().map(TracingReport::cells).toList());
        report.section("By age gap")
                .text("Years between the probe (adult photo) and the case's oldest childhood photo with a face; the main run.");
        report.table(List.of("age gap", "cases searched", "probes", "rank-1", "rank-5", "rank-10", "MRR"),
                byGap.stream().map(TracingReport::cells).toList());

        report.section("Probes not found first");
        List<List<String>> misses = new ArrayList<>();
        results.stream().filter(r -> r.rank() != 1)
                .sorted(Comparator.comparingInt((Tracing.ProbeResult r) -> r.rank() == 0 ? Integer.MAX_VALUE : r.rank()))
                .forEach(r -> misses.add(List.of(r.probe().photo().path(), r.probe().caseId(),
                        Tracing.fmt(r.probe().photo().age()), r.rank() == 0 ? "no face" : Integer.toString(r.rank()),
                        Report.num(r.trueScore()))));
        report.table(List.of("probe", "case", "age", "rank", "true case score"), misses);

        report.noFaceSection(faces);

        report.section("Model and settings").keyValues(EvalCommand.settings(o.commandLine(), embeddings, model, flip, transform));
        report.write(dir.resolve("index.html"));

        ObjectNode result = EvalCommand.JSON.createObjectNode();
        result.set("summary", json);
        result.set("by_child_age", rows(byChild));
        result.set("by_age_gap", rows(byGap));
        EvalCommand.writeJson(dir.resolve("result.json"), result);
    }

    private static List<String> cells(Row r) {
        Metrics.RankSummary s = r.summary();
        return List.of(r.label(), Integer.toString(r.cases()), Integer.toString(s.probes()), Report.pct(s.rank1()),
                Report.pct(s.rank5()), Report.pct(s.rank10()), Report.num(s.mrr()));
    }

    private static ArrayNode rows(List<Row> rows) {
        ArrayNode a = EvalCommand.JSON.createArrayNode();
        for (Row r : rows) {
            ObjectNode n = a.addObject();
            n.put("group", r.label());
            n.put("cases", r.cases());
            n.put("probes", r.summary().probes());
            n.put("rank1", EvalCommand.round(r.summary().rank1()));
            n.put("rank5", EvalCommand.round(r.summary().rank5()));
            n.put("rank10", EvalCommand.round(r.summary().rank10()));
            n.put("mrr", EvalCommand.round(r.summary().mrr()));
        }
        return a;
    }
}
