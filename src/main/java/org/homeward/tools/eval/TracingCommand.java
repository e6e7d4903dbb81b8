package org.homeward.tools.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.homeward.matching.CaseRanker;
import org.homeward.models.EmbeddingTransform;
import org.homeward.tools.Main;
import org.homeward.tools.projections.ProjectionsCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code eval tracing}: childhood photos form cases, adult photos search them; rank-1/5/10, MRR, photos with no
 * face. With {@code --projections}, the same with age projections of the cases, cross-validated by identity
 * ({@link ProjectionTracing}).
 */
@Command(name = "tracing", description = {"Childhood photos form cases, adult photos search them: rank-1/5/10, MRR,"
        + " photos with no usable face.", "Measures the app's default search model (the bundle's transform and flip)"
        + " unless --raw or --transform says otherwise.", "With --projections: the same with age projections,"
        + " cross-validated by identity (docs/projections.md)."})
final class TracingCommand implements Callable<Integer> {

    @Option(names = "--manifest", required = true, paramLabel = "M.csv", description = "the photos: path,identity,age"
            + " (with --projections, FG-NET's list with its 68 points: path,identity,age,points)")
    Path manifest;
    @Option(names = "--distractors", paramLabel = "D.csv", description = "other people, each a case of their own:"
            + " path,identity[,group]")
    Path distractors;
    @Option(names = "--distractor-group", paramLabel = "GROUP", description = "only the distractors of this group (young, adult)")
    private String distractorGroup;
    @Option(names = "--cohort", paramLabel = "C.csv", description = "normalise case scores against these people's faces")
    private Path cohort;
    @Option(names = "--cohort-group", paramLabel = "GROUP", description = "only the cohort photos of this group")
    private String cohortGroup;
    @Option(names = "--cohort-norm", paramLabel = "MODE", description = "with --cohort: ${COMPLETION-CANDIDATES}")
    private CohortNorm.Mode cohortNorm = CohortNorm.Mode.mean;
    @Option(names = "--cohort-top", paramLabel = "N", description = "with --cohort: the nearest cohort faces used")
    private int cohortTop = 100;
    @Option(names = "--aggregation", paramLabel = "RULE", converter = Aggregation.class, description = Aggregation.HELP,
            showDefaultValue = Visibility.NEVER)
    private CaseRanker ranker = CaseRanker.DEFAULT;
    @Option(names = "--out", paramLabel = "DIR", description = "write an HTML report with charts there")
    private Path reportDir;
    @Option(names = "--projections", description = "compare age projections of the cases (docs/projections.md)")
    private boolean projections;
    @Option(names = "--folds", paramLabel = "K", description = "with --projections: folds by identity, at least 2")
    int folds = 5;
    @Option(names = "--appearance", split = ",", paramLabel = "W", description = "with --projections: the appearance"
            + " weights compared, each 0 to 2")
    List<Double> appearances = List.of(ProjectionsCommand.DEFAULT_APPEARANCE);
    @Option(names = "--projection-ages", split = ",", paramLabel = "YEARS", description = "with --projections: the ages"
            + " projected to, each 0 to 100")
    List<Double> projectionAges = List.of(10.0, 15.0, 20.0, 25.0, 30.0, 35.0, 40.0, 45.0, 50.0);
    @Mixin
    AgeOptions ages;
    @Mixin
    EmbeddingOptions embedding;
    @Mixin
    private SearchModel searchModel;

    private final PrintStream out;
    private final PrintStream err;

    TracingCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws IOException {
        if (projections) {
            return new ProjectionTracing(this, out, err).run();
        }
        double childMax = ages.childMax();
        double adultMin = ages.adultMin();
        Manifest photos = Manifest.read(manifest, true);
        Manifest others = distractors == null ? null : Manifest.read(distractors, false, distractorGroup);
        Tracing tracing = Tracing.of(photos, others, childMax, adultMin);
        EmbeddingTransform transform = searchModel.transform(embedding.modelsDir());
        boolean flip = searchModel.flip(transform);
        Path outDir = EvalCommand.prepareOut(reportDir);

        Manifest cohortPhotos = cohort == null ? null : Manifest.read(cohort, false, cohortGroup);
        long start = System.nanoTime();
        Set<Path> files = new LinkedHashSet<>(tracing.files());
        if (cohortPhotos != null) {
            cohortPhotos.photos().forEach(p -> files.add(p.file()));
        }
        EmbeddingOptions.Embedded embedded = embedding.embed(files, transform, flip);
        Map<Path, PhotoEmbeddings.Face> faces = embedded.faces();
        String model = embedded.model();
        PhotoEmbeddings embeddings = embedded.embeddings();
        Map<Path, float[]> vectors = EvalCommand.searchable(faces, transform, flip);

        Tracing.Scoring scoring;
        if (cohortPhotos != null) {
            List<Manifest.Photo> caseFaces = tracing.cases().values().stream().flatMap(List::stream).toList();
            CohortNorm norm = CohortNorm.of(cohortNorm, cohortTop, caseFaces, cohortPhotos.photos(), vectors::get);
            model = model + " +cohort-" + cohortNorm + "(top " + cohortTop + ", " + cohortPhotos.photos().size() + " faces)";
            scoring = Tracing.Scoring.normalised(vectors::get, norm::score);
        } else {
            // the search model's own cohort normalisation, as the app applies it to case faces
            scoring = transform == null || transform.cohort().isEmpty() ? Tracing.Scoring.of(vectors::get)
                    : Tracing.Scoring.normalised(vectors::get,
                            (face, similarity) -> transform.cohort().get().normalise(similarity, vectors.get(face.file())));
        }
        List<Tracing.ProbeResult> results = tracing.runScored(tracing.probes(), probe -> scoring, ranker, p -> true);
        Metrics.RankSummary summary = Metrics.ranks(Tracing.ranks(results));
        long noFace = faces.values().stream().filter(f -> !f.found()).count();
        long probesWithFace = results.stream().filter(r -> !Double.isNaN(r.trueScore())).count();

        out.printf(Locale.ROOT, "tracing: %d cases (%d distractors), %d probes (%d searched), %d photos, %d without a usable face;"
                + " model %s, ranking %s%n", tracing.cases().size(), tracing.distractorCases(), tracing.probes().size(),
                probesWithFace, faces.size(), noFace, model, ranker.policy());
        out.printf(Locale.ROOT, "rank-1 %.4f  rank-5 %.4f  rank-10 %.4f  MRR %.4f  (%.1f s; %d photos from the cache, %d embedded)%n",
                summary.rank1(), summary.rank5(), summary.rank10(), summary.mrr(), (System.nanoTime() - start) / 1e9,
                embeddings.fromCache(), embeddings.computed());

        ObjectNode json = EvalCommand.JSON.createObjectNode();
        json.put("protocol", "tracing");
        json.put("model", model);
        json.put("cases", tracing.cases().size());
        json.put("probes", tracing.probes().size());
        EvalCommand.put(json, "rank1", summary.rank1());
        EvalCommand.put(json, "rank5", summary.rank5());
        EvalCommand.put(json, "rank10", summary.rank10());
        EvalCommand.put(json, "mrr", summary.mrr());
        json.put("no_face", noFace);
        if (outDir != null) {
            TracingReport.write(outDir, this, tracing, results, scoring, ranker, faces, embeddings, model, json,
                    childMax, adultMin, flip, transform);
            out.println("report: " + outDir.resolve("index.html"));
        }
        out.println(EvalCommand.JSON.writeValueAsString(json));
        return 0;
    }

    String commandLine() {
        return Main.commandLine(embedding.command());
    }
}
