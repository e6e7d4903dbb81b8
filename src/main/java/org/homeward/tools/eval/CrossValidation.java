package org.homeward.tools.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.homeward.matching.CaseRanker;
import org.homeward.models.EmbeddingTransform;
import org.homeward.models.Similarity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code eval cv}: each way of learning an embedding transform ({@link TransformRecipe}) and each case-score rule,
 * judged by cross-validation by identity on a manifest (fgnet-dev): a face is only ever compared through a
 * transform fitted without its person. Tracing: each probe is searched through the transform fitted on every
 * identity but the probe's (leave one identity out), against all cases. Verification: each pair of the
 * child-to-adult list is scored through the transform fitted without either of its two people; then the pairs
 * protocol's figures. The plain embedding's figures equal those of {@code eval tracing} and
 * {@code eval pairs --manifest} on the same data. With {@code --write-transform DIR}, the recipe kept
 * ({@link #KEPT}) is fitted on all identities and written as a model package.
 */
@Command(name = "cv", description = {"Cross-validates ways of learning an embedding transform, and case-score rules,"
        + " by identity on a manifest.", "With --write-transform, the recipe kept is fitted on everyone and written as a"
        + " model package."})
final class CrossValidation implements Callable<Integer> {

    static final CaseRanker MAX = new CaseRanker(CaseRanker.Policy.MAX);

    /** The recipe docs/accuracy.md keeps, written by --write-transform. */
    static final TransformRecipe KEPT = new TransformRecipe("flip+center+NAP1+WCCN0.8", true, true, 1, 0.8, 0);

    @Option(names = "--manifest", required = true, paramLabel = "M.csv", description = "the photos: path,identity,age")
    private Path manifestFile;
    @Option(names = "--pairs", paramLabel = "P.txt", description = "the verification pairs (default: the manifest's"
            + " child-adult pairs, seed 1)")
    private Path pairsFile;
    @Option(names = "--write-transform", paramLabel = "DIR", description = "write the kept recipe as a model package there")
    private Path write;
    @Mixin
    private AgeOptions ages;
    @Mixin
    private EmbeddingOptions embedding;

    private final PrintStream out;
    private final PrintStream err;

    CrossValidation(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    static final String V1 = "homeward-embedding-transform-v1";

    /** What the v1 package says of its data and figures. */
    static TransformPackage.Provenance provenance(Manifest manifest, int faces, List<Row> rows) {
        Set<String> seen = new HashSet<>();
        return new TransformPackage.Provenance(V1, "1.0.0", "Learned by the Homeward project on the FG-NET Aging Database"
                + " (dev half), which is licensed for research use only. The parameters are aggregate numbers (a mean vector"
                + " and a linear map); no photo, face, descriptor or label is stored. Whether parameters learned from"
                + " research-only data may be used beyond research is not settled: treat this package as research use, and"
                + " relearn on data with a licence for your use before any operational deployment.",
                "FG-NET dev half (research use), only aggregate parameters kept", manifest.photos().size(), faces,
                manifest.byIdentity().size(), "cross-validation by identity on the training data (deploy/homeward eval cv;"
                + " docs/accuracy.md): tracing leaves each probe's identity out, verification each pair's two identities",
                "cross-validation by identity on FG-NET dev: tracing (each identity's photos at age <= 12 form a case; photos"
                + " at age >= 18 are probes), and child-to-adult verification (all same-person child/adult pairs and as many"
                + " different-person pairs)",
                TransformPackage.figuresOf(rows, r -> seen.add(r.label() + "|" + r.ranking())
                        && (r.ranking().equals(CaseRanker.Policy.MAX.toString())
                                || r.ranking().equals(CaseRanker.Policy.DEFAULT.toString()))
                        && (r.label().equals("plain embedding") || r.label().equals(KEPT.label())), Row::writeTo));
    }

    /** The steps compared: the plain embedding, then each step alone and added in turn, with hyper-parameter grids. */
    static List<TransformRecipe> recipes() {
        List<TransformRecipe> r = new ArrayList<>();
        r.add(TransformRecipe.plain());
        r.add(TransformRecipe.flipOnly());
        r.add(new TransformRecipe("center", false, true, 0, Double.NaN, 0));
        for (int k : new int[] {1, 2, 3, 4, 8, 16}) {
            r.add(new TransformRecipe("center+NAP" + k, false, true, k, Double.NaN, 0));
        }
        for (double a : new double[] {0.1, 0.3, 0.6, 0.8, 0.9}) {
            r.add(new TransformRecipe("center+WCCN" + a, false, true, 0, a, 0));
        }
        for (int k : new int[] {1, 2}) {
            for (double a : new double[] {0.3, 0.6, 0.8}) {
                r.add(new TransformRecipe("center+NAP" + k + "+WCCN" + a, false, true, k, a, 0));
            }
        }
        for (int d : new int[] {16, 32}) {
            r.add(new TransformRecipe("center+WCCN0.6+LDA" + d, false, true, 0, 0.6, d));
        }
        r.add(new TransformRecipe("flip+center+NAP1", true, true, 1, Double.NaN, 0));
        r.add(new TransformRecipe("flip+center+WCCN0.6", true, true, 0, 0.6, 0));
        for (double a : new double[] {0.3, 0.6}) {
            r.add(new TransformRecipe("flip+center+NAP1+WCCN" + a, true, true, 1, a, 0));
        }
        r.add(KEPT);
        r.add(new TransformRecipe("flip+center+NAP2+WCCN0.6", true, true, 2, 0.6, 0));
        return r;
    }

    /** Case-score rules compared on a few recipes (they change tracing only: a pair has one face a side). */
    static List<CaseRanker> rankers() {
        CaseRanker.Policy p = CaseRanker.Policy.DEFAULT;
        List<CaseRanker> r = new ArrayList<>();
        r.add(new CaseRanker(CaseRanker.Policy.MAX));
        r.add(new CaseRanker(p.withAggregation(CaseRanker.Aggregation.TOP2_MEAN, p.temperature())));
        for (double t : new double[] {0.02, 0.05, 0.1, 0.2, 0.5}) {
            r.add(new CaseRanker(p.withAggregation(CaseRanker.Aggregation.SOFT_MAX, t)));
        }
        return r;
    }

    /** Case-score rules on age-normalised scores (z units, so the soft maximum's temperatures are larger). */
    static List<CaseRanker> normalisedRankers() {
        CaseRanker.Policy p = CaseRanker.Policy.DEFAULT;
        List<CaseRanker> r = new ArrayList<>();
        r.add(new CaseRanker(CaseRanker.Policy.MAX));
        for (double t : new double[] {0.5}) {
            r.add(new CaseRanker(p.withAggregation(CaseRanker.Aggregation.SOFT_MAX, t)));
        }
        return r;
    }

    /** The recipes the case-score rules are compared on. */
    static List<TransformRecipe> rankerRecipes() {
        return List.of(TransformRecipe.plain(), new TransformRecipe("center+WCCN0.6", false, true, 0, 0.6, 0), KEPT);
    }

    /** The figures of one recipe and rule. */
    record Row(String label, String steps, String ranking, Metrics.RankSummary tracing, Verification.Figures verification) {

        /** The row's figures as the cv JSON line and the transform manifest both record them. */
        void writeTo(ObjectNode n) {
            n.put("step", label);
            n.put("ranking", ranking);
            n.put("rank1", EvalCommand.round(tracing.rank1()));
            n.put("rank10", EvalCommand.round(tracing.rank10()));
            n.put("mrr", EvalCommand.round(tracing.mrr()));
            n.put("accuracy", EvalCommand.round(verification.accuracy()));
            n.put("auc", EvalCommand.round(verification.auc()));
            n.put("tar_at_far_1e-2", EvalCommand.round(verification.tarAtFar1e2()));
        }
    }

    @Override
    public Integer call() throws IOException {
        double childMax = ages.childMax();
        double adultMin = ages.adultMin();
        Manifest manifest = Manifest.read(manifestFile, true);
        Tracing tracing = Tracing.of(manifest, null, childMax, adultMin);
        PairsList list;
        List<Verification.ResolvedPair> pairs;
        if (pairsFile != null) {
            list = PairsList.read(pairsFile);
        } else {
            list = PairsList.parse(Path.of("(child-adult pairs of " + manifestFile + ", seed 1)"),
                    MakePairs.childAdult(manifest, childMax, adultMin, 1));
        }
        pairs = Verification.resolveManifest(list, manifest);

        Map<Path, PhotoEmbeddings.Face> faces;
        String embedderId;
        PhotoEmbeddings embeddings = embedding.open();
        try (embeddings) {
            List<Path> files = manifest.photos().stream().map(Manifest.Photo::file).toList();
            faces = embeddings.embed(files, true);
            embedderId = embeddings.modelId();
        }
        Map<Path, TransformRecipe.Sample> sampleOf = TransformRecipe.Sample.of(manifest, faces);
        List<TransformRecipe.Sample> samples = new ArrayList<>(sampleOf.values());
        out.printf(Locale.ROOT, "cross-validation by identity on %s: %d photos (%d with a usable face), %d identities;"
                + " tracing %d cases, %d probes; verification %s (%d pairs)%n", manifestFile, manifest.photos().size(),
                samples.size(), manifest.byIdentity().size(), tracing.cases().size(), tracing.probes().size(), list.file(),
                pairs.size());

        List<Row> rows = new ArrayList<>();
        for (TransformRecipe recipe : recipes()) {
            rows.add(evaluate(recipe, MAX, false, tracing, list, pairs, manifest, sampleOf, childMax, adultMin,
                    embedderId));
            print(rows.get(rows.size() - 1));
        }
        for (TransformRecipe recipe : rankerRecipes()) {
            for (CaseRanker ranker : rankers()) {
                rows.add(evaluate(recipe, ranker, false, tracing, list, pairs, manifest, sampleOf, childMax, adultMin, embedderId));
                print(rows.get(rows.size() - 1));
            }
        }
        for (TransformRecipe recipe : List.of(TransformRecipe.plain(), KEPT)) {
            for (CaseRanker ranker : normalisedRankers()) {
                rows.add(evaluate(recipe, ranker, true, tracing, list, pairs, manifest, sampleOf, childMax, adultMin, embedderId));
                print(rows.get(rows.size() - 1));
            }
        }
        List<String> bias = new ArrayList<>();
        bias.addAll(bias(TransformRecipe.plain(), MAX, tracing, pairs, manifest, sampleOf, childMax, adultMin, embedderId));
        bias.addAll(bias(TransformRecipe.plain(), CaseRanker.DEFAULT, tracing, pairs, manifest, sampleOf, childMax, adultMin,
                embedderId));
        bias.addAll(bias(KEPT, CaseRanker.DEFAULT, tracing, pairs, manifest, sampleOf, childMax, adultMin, embedderId));
        bias.forEach(out::println);
        if (write != null) {
            EmbeddingTransform t = KEPT.fit(samples, childMax, adultMin, V1, embedderId);
            TransformPackage.write(write, KEPT, t, childMax, adultMin, provenance(manifest, samples.size(), rows), embedding.command());
            out.println("wrote " + write);
        }
        ObjectNode json = EvalCommand.JSON.createObjectNode();
        json.put("protocol", "cv");
        json.put("model", embedderId);
        json.put("identities", manifest.byIdentity().size());
        ArrayNode steps = json.putArray("steps");
        for (Row r : rows) {
            r.writeTo(steps.addObject());
        }
        out.println(EvalCommand.JSON.writeValueAsString(json));
        return 0;
    }

    private void print(Row r) {
        out.printf(Locale.ROOT, "%-28s %-16s rank-1 %.4f rank-10 %.4f MRR %.4f | accuracy %.4f +- %.4f AUC %.4f TAR@1e-2 %.4f%n",
                r.label(), r.ranking(), r.tracing().rank1(), r.tracing().rank10(), r.tracing().mrr(),
                r.verification().accuracy(), r.verification().accuracyStd(), r.verification().auc(),
                r.verification().tarAtFar1e2());
    }

    /**
     * Results by age at the childhood photo and by age gap, out of fold, as text lines: tracing with every case
     * reduced to its photos in one band; verification pairs grouped by the younger photo's age and by the gap.
     */
    static List<String> bias(TransformRecipe recipe, CaseRanker ranker, Tracing tracing, List<Verification.ResolvedPair> pairs, Manifest manifest,
            Map<Path, TransformRecipe.Sample> sampleOf, double childMax, double adultMin, String embedderId) {
        Map<Set<String>, Fold> folds = new HashMap<>();
        Function<Set<String>, Fold> without = excluded -> folds.computeIfAbsent(excluded,
                ex -> fold(recipe, ex, false, manifest, sampleOf, childMax, adultMin, embedderId));
        Function<Tracing.Probe, Tracing.Scoring> scoring = probe -> Tracing.Scoring.of(without.apply(Set.of(probe.caseId())).vectors());
        List<String> lines = new ArrayList<>();
        lines.add("bias, " + recipe.label() + ", ranking " + ranker.policy() + " (cross-validated by identity):");
        for (TracingReport.Band band : TracingReport.childBands(childMax)) {
            List<Tracing.ProbeResult> r = tracing.runScored(tracing.probes(), scoring, ranker,
                    p -> p.age() == null || band.contains(p.age()));
            Metrics.RankSummary rs = Metrics.ranks(Tracing.ranks(r));
            lines.add(String.format(Locale.ROOT, "  tracing, childhood photos aged %-6s probes %3d  rank-1 %.4f rank-10 %.4f MRR %.4f",
                    band.label(), rs.probes(), rs.rank1(), rs.rank10(), rs.mrr()));
        }
        List<Tracing.ProbeResult> all = tracing.runScored(tracing.probes(), scoring, ranker, p -> true);
        for (TracingReport.Row row : TracingReport.byAgeGap(all, tracing.cases().size())) {
            Metrics.RankSummary rs = row.summary();
            lines.add(String.format(Locale.ROOT, "  tracing, age gap %-17s probes %3d  rank-1 %.4f rank-10 %.4f MRR %.4f",
                    row.label(), rs.probes(), rs.rank1(), rs.rank10(), rs.mrr()));
        }
        double[] scores = new double[pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            Verification.ResolvedPair p = pairs.get(i);
            scores[i] = Verification.scores(List.of(p), without.apply(new TreeSet<>(List.of(p.a().identity(),
                    p.b().identity()))).vectors())[0];
        }
        double[] impostor = new double[(int) pairs.stream().filter(p -> !p.pair().same()).count()];
        int k = 0;
        for (int i = 0; i < pairs.size(); i++) {
            if (!pairs.get(i).pair().same()) {
                impostor[k++] = scores[i];
            }
        }
        double threshold = Metrics.thresholdAtFar(impostor, 1e-2);
        for (PairsReport.Row row : PairsReport.byBand(pairs, scores, PairsReport.YOUNGER, PairsReport::younger, threshold)) {
            lines.add(String.format(Locale.ROOT, "  verification, childhood photo aged %-6s same %3d different %3d  AUC %.4f"
                    + "  TAR at the overall FAR-1e-2 threshold %.4f", row.label(), row.same(), row.different(), row.auc(),
                    row.tarAtGlobalThreshold()));
        }
        for (PairsReport.Row row : PairsReport.byBand(pairs, scores, TracingReport.GAPS, PairsReport::gap, threshold)) {
            lines.add(String.format(Locale.ROOT, "  verification, age gap %-17s same %3d different %3d  AUC %.4f"
                    + "  TAR at the overall FAR-1e-2 threshold %.4f", row.label(), row.same(), row.different(), row.auc(),
                    row.tarAtGlobalThreshold()));
        }
        return lines;
    }

    /** Child age groups for the per-age-group score normalisation: 0-2, 3-5, 6-8, 9 and older. */
    static int ageGroup(double age) {
        return age < 3 ? 0 : age < 6 ? 1 : age < 9 ? 2 : 3;
    }

    /** One fold: the photos' vectors through the transform fitted without some identities, and score statistics. */
    record Fold(Function<Path, float[]> vectors, double[] mean, double[] sd) {
        /** A score normalised by the impostor statistics of the childhood photo's age group. */
        double normalise(double similarity, double childAge) {
            int g = ageGroup(childAge);
            return (similarity - mean[g]) / sd[g];
        }
    }

    static Row evaluate(TransformRecipe recipe, CaseRanker ranker, boolean ageNorm, Tracing tracing, PairsList list,
            List<Verification.ResolvedPair> pairs, Manifest manifest, Map<Path, TransformRecipe.Sample> sampleOf,
            double childMax, double adultMin, String embedderId) {
        Map<Set<String>, Fold> folds = new HashMap<>();
        Function<Set<String>, Fold> without = excluded -> folds.computeIfAbsent(excluded,
                ex -> fold(recipe, ex, ageNorm, manifest, sampleOf, childMax, adultMin, embedderId));
        List<Tracing.ProbeResult> results = tracing.runScored(tracing.probes(), probe -> {
            Fold f = without.apply(Set.of(probe.caseId()));
            return new Tracing.Scoring() {
                @Override
                public float[] vector(Path file) {
                    return f.vectors().apply(file);
                }

                @Override
                public double score(Manifest.Photo caseFace, double similarity) {
                    return ageNorm && caseFace.age() != null && caseFace.age() <= childMax
                            ? f.normalise(similarity, caseFace.age()) : similarity;
                }
            };
        }, ranker, p -> true);
        Metrics.RankSummary rs = Metrics.ranks(Tracing.ranks(results));

        double[] scores = new double[pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            Verification.ResolvedPair p = pairs.get(i);
            Fold f = without.apply(new TreeSet<>(List.of(p.a().identity(), p.b().identity())));
            double s = Verification.scores(List.of(p), f.vectors())[0];
            if (ageNorm) {
                double younger = Math.min(p.a().age(), p.b().age());
                s = s == Verification.NO_FACE_SCORE ? -1e6 : younger <= childMax ? f.normalise(s, younger) : s;
            }
            scores[i] = s;
        }
        Verification.Figures vf = Verification.figures(scores, Verification.same(pairs), Verification.folds(pairs), list.folds());
        return new Row(recipe.label() + (ageNorm ? " +age-norm" : ""), recipe.describe(), ranker.policy().toString(), rs, vf);
    }

    static Fold fold(TransformRecipe recipe, Set<String> excluded, boolean ageNorm, Manifest manifest,
            Map<Path, TransformRecipe.Sample> sampleOf, double childMax, double adultMin, String embedderId) {
        List<Manifest.Photo> training = manifest.photos().stream()
                .filter(p -> sampleOf.containsKey(p.file()) && !excluded.contains(p.identity())).toList();
        EmbeddingTransform t = recipe.learned()
                ? recipe.fit(training.stream().map(p -> sampleOf.get(p.file())).toList(), childMax, adultMin, "cv", embedderId)
                : null;
        Map<Path, float[]> memo = new HashMap<>();
        Function<Path, float[]> vectors = file -> memo.computeIfAbsent(file, f -> {
            TransformRecipe.Sample s = sampleOf.get(f);
            if (s == null) {
                return null;
            }
            return t == null ? s.input(recipe.flip()) : t.apply(s.input(recipe.flip()));
        });
        double[] mean = new double[4];
        double[] sd = {1, 1, 1, 1};
        if (ageNorm) {
            // Impostor statistics per childhood age group: training children against other training people's adult photos.
            double[] sum = new double[4];
            double[] sumSq = new double[4];
            int[] n = new int[4];
            for (Manifest.Photo c : training) {
                if (c.age() > childMax) {
                    continue;
                }
                int g = ageGroup(c.age());
                for (Manifest.Photo a : training) {
                    if (a.age() >= adultMin && !a.identity().equals(c.identity())) {
                        double sim = Similarity.cosine(vectors.apply(c.file()), vectors.apply(a.file()));
                        sum[g] += sim;
                        sumSq[g] += sim * sim;
                        n[g]++;
                    }
                }
            }
            for (int g = 0; g < 4; g++) {
                if (n[g] > 1) {
                    mean[g] = sum[g] / n[g];
                    sd[g] = Math.sqrt(Math.max(1e-12, sumSq[g] / n[g] - mean[g] * mean[g]));
                }
            }
        }
        return new Fold(vectors, mean, sd);
    }
}
