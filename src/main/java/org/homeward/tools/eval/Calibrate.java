package org.homeward.tools.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Predicate;
import org.homeward.matching.CaseRanker;
import org.homeward.models.EmbeddingTransform;
import org.homeward.matching.EvidenceCalibration;
import org.homeward.matching.EvidenceCalibration.Band;
import org.homeward.matching.EvidenceMapping;
import org.homeward.models.ModelPackage;
import org.homeward.tools.Main;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code eval calibrate}: fits the evidence calibration of one search model ({@link EvidenceCalibration}) on the
 * tracing protocol's case scores of a manifest (fgnet-dev) and writes it as a model package. Scores come from the
 * evaluation's own embeddings and {@link CaseRanker#DEFAULT}. Without {@code --transform} they are cosine scores of
 * the raw vectors (nothing learned, so every score is out of sample); with it, each probe is scored through the
 * transform relearned without the probe's person, as docs/accuracy.md does for the tracing figures. The
 * calibration's own quality is measured by cross-validation by identity: each person's probes get LRs from a
 * calibration fitted on the scores of everyone else (that person left out of probes and cases alike).
 */
@Command(name = "calibrate", description = {"Fits the likelihood-ratio calibration of a search model's case scores and"
        + " writes it as a package (docs/evidence.md).", "It calibrates the app's case scores (CaseRanker.DEFAULT, no"
        + " distractors) of the model given by --transform, or of the raw vectors: so it takes no --aggregation, --flip"
        + " or --distractors."})
final class Calibrate implements Callable<Integer> {

    static final String VERSION = "1.0.0";
    /** Quantiles of the LR distributions in the report and the manifest. */
    static final double[] QUANTILES = {0, 0.05, 0.25, 0.5, 0.75, 0.95, 1};

    @Option(names = "--manifest", required = true, paramLabel = "M.csv", description = "the photos: path,identity,age")
    private Path manifestFile;
    @Option(names = "--out", required = true, paramLabel = "PACKAGE_DIR", description = "the calibration package folder to write")
    private Path outDir;
    @Option(names = "--transform", paramLabel = "PKG_DIR", description = "the embedding-transform package whose scores"
            + " are calibrated (default: the raw vectors)")
    private Path transformDir;
    @Mixin
    private AgeOptions ages;
    @Mixin
    private EmbeddingOptions embedding;

    private final PrintStream out;

    Calibrate(PrintStream out) {
        this.out = out;
    }

    /** LRs of one set of scores and their figures: Cllr, Cllr_min, and the log10 LRs of each class. */
    record Figures(double[] genuine, double[] impostor, double cllr, double cllrMin) {

        static Figures of(List<CalibrationTrials.Trial> trials, double[] log10Lrs) {
            List<Double> g = new ArrayList<>();
            List<Double> d = new ArrayList<>();
            for (int i = 0; i < trials.size(); i++) {
                (trials.get(i).genuine() ? g : d).add(log10Lrs[i]);
            }
            double[] gl = g.stream().mapToDouble(Double::doubleValue).toArray();
            double[] dl = d.stream().mapToDouble(Double::doubleValue).toArray();
            return new Figures(gl, dl, CalibrationMetrics.cllr(gl, dl), CalibrationMetrics.cllrMin(
                    CalibrationTrials.scores(trials, true), CalibrationTrials.scores(trials, false)));
        }

        double medianGenuine() {
            return CalibrationMetrics.quantile(genuine, 0.5);
        }

        double medianImpostor() {
            return CalibrationMetrics.quantile(impostor, 0.5);
        }

        /** The share of genuine scores whose LR exceeds the median impostor's. */
        double genuineAboveMedianImpostor() {
            double median = medianImpostor();
            return CalibrationMetrics.share(genuine, l -> l > median);
        }
    }

    /**
     * The calibration fitted on every score, its figures in sample and held out by identity, and, held out, the LR
     * of each probe's highest-scoring wrong case: the strongest misleading candidate an investigator would meet.
     * {@code tested} are the trials of people held out (a probe whose own case has no usable face is never held
     * out), {@code heldOutLog10} their LRs, in the same order; {@code heldOutCllrUnbounded} the held-out Cllr
     * without the bounds, to show what the bounds cost or save.
     */
    record Result(EvidenceMapping mapping, Figures inSample, Figures heldOut, double heldOutCllrUnbounded,
            double[] topImpostorHeldOut, int folds, List<CalibrationTrials.Trial> tested, double[] heldOutLog10) {

        /** The held-out figures of some of the trials (a group of cases or probes). */
        Figures heldOutWhere(Predicate<CalibrationTrials.Trial> which) {
            List<CalibrationTrials.Trial> t = new ArrayList<>();
            List<Double> l = new ArrayList<>();
            for (int i = 0; i < tested.size(); i++) {
                if (which.test(tested.get(i))) {
                    t.add(tested.get(i));
                    l.add(heldOutLog10[i]);
                }
            }
            return Figures.of(t, l.stream().mapToDouble(Double::doubleValue).toArray());
        }
    }

    /** Fits on all trials, and cross-validates by identity: pure arithmetic, no photo involved. */
    static Result calibrate(List<CalibrationTrials.Trial> trials) {
        double[] genuine = CalibrationTrials.scores(trials, true);
        double[] impostor = CalibrationTrials.scores(trials, false);
        EvidenceMapping mapping = CalibrationFit.fit(genuine, impostor);
        double[] all = new double[trials.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = mapping.log10Lr(trials.get(i).score());
        }
        Set<String> people = new LinkedHashSet<>();
        trials.stream().filter(CalibrationTrials.Trial::genuine).forEach(t -> people.add(t.probeIdentity()));
        Map<String, EvidenceMapping> without = new HashMap<>();
        for (String person : people) {
            List<CalibrationTrials.Trial> training = trials.stream().filter(t -> !t.involves(person)).toList();
            without.put(person, CalibrationFit.fit(CalibrationTrials.scores(training, true), CalibrationTrials.scores(training, false)));
        }
        List<CalibrationTrials.Trial> tested = trials.stream().filter(t -> people.contains(t.probeIdentity())).toList();
        double[] held = new double[tested.size()];
        List<Double> unboundedGenuine = new ArrayList<>();
        List<Double> unboundedImpostor = new ArrayList<>();
        Map<Path, Double> topImpostor = new LinkedHashMap<>();
        Map<Path, Double> topScore = new HashMap<>();
        for (int i = 0; i < held.length; i++) {
            CalibrationTrials.Trial t = tested.get(i);
            held[i] = without.get(t.probeIdentity()).log10Lr(t.score());
            (t.genuine() ? unboundedGenuine : unboundedImpostor).add(without.get(t.probeIdentity()).unboundedLog10Lr(t.score()));
            if (!t.genuine() && t.score() > topScore.getOrDefault(t.probe(), Double.NEGATIVE_INFINITY)) {
                topScore.put(t.probe(), t.score());
                topImpostor.put(t.probe(), held[i]);
            }
        }
        double unbounded = CalibrationMetrics.cllr(unboundedGenuine.stream().mapToDouble(Double::doubleValue).toArray(),
                unboundedImpostor.stream().mapToDouble(Double::doubleValue).toArray());
        return new Result(mapping, Figures.of(trials, all), Figures.of(tested, held), unbounded,
                topImpostor.values().stream().mapToDouble(Double::doubleValue).toArray(), people.size(), tested, held);
    }

    /** Groups of trials whose held-out figures are reported apart: by the case's childhood photos and by age gap. */
    static Map<String, Predicate<CalibrationTrials.Trial>> groups(Tracing tracing, Map<Path, PhotoEmbeddings.Face> faces) {
        Map<String, Double> oldest = new HashMap<>();
        tracing.cases().forEach((id, photos) -> oldest.put(id, photos.stream()
                .filter(p -> faces.get(p.file()) != null && faces.get(p.file()).found())
                .mapToDouble(Manifest.Photo::age).max().orElse(Double.NaN)));
        Map<Path, Double> probeAge = new HashMap<>();
        tracing.probes().forEach(p -> probeAge.put(p.photo().file(), p.photo().age()));
        Map<String, Predicate<CalibrationTrials.Trial>> g = new LinkedHashMap<>();
        g.put("cases whose childhood photos are all aged 0-5", t -> oldest.get(t.caseIdentity()) < 6);
        g.put("cases with a childhood photo aged 6-12", t -> oldest.get(t.caseIdentity()) >= 6);
        g.put("age gap under 20 years", t -> probeAge.get(t.probe()) - oldest.get(t.caseIdentity()) < 20);
        g.put("age gap 20 years or more", t -> probeAge.get(t.probe()) - oldest.get(t.caseIdentity()) >= 20);
        return g;
    }

    @Override
    public Integer call() throws IOException {
        checkOut(outDir);
        double childMax = ages.childMax();
        double adultMin = ages.adultMin();
        Manifest manifest = Manifest.read(manifestFile, true);
        Tracing tracing = Tracing.of(manifest, null, childMax, adultMin);
        EmbeddingTransform transform = transformDir == null ? null : SearchModel.open(transformDir);
        boolean flip = transform != null && transform.flipAverage();
        CaseRanker ranker = CaseRanker.DEFAULT;

        long start = System.nanoTime();
        Map<Path, PhotoEmbeddings.Face> faces;
        String embedderId;
        String settingsDigest;
        PhotoEmbeddings embeddings = embedding.open();
        try (embeddings) {
            EvalCommand.checkEmbedder(embeddings, transform);
            // Relearning the transform needs every face of the manifest, not only the protocol's.
            faces = embeddings.embed(transform == null ? tracing.files() : manifest.photos().stream().map(Manifest.Photo::file).toList(),
                    flip);
            embedderId = embeddings.modelId();
            settingsDigest = embeddings.settingsDigest();
        }
        String modelId = transform == null ? embedderId : transform.modelId();
        Function<Tracing.Probe, Function<Path, float[]>> vectorsFor;
        String scoresOutOfSample;
        if (transform == null) {
            Map<Path, float[]> vectors = EvalCommand.searchable(faces, null, false);
            vectorsFor = probe -> vectors::get;
            scoresOutOfSample = "cosine similarities of the raw vectors: nothing is learned from the data, so every score is"
                    + " out of sample";
        } else {
            vectorsFor = relearned(transformDir, transform, manifest, faces, childMax, adultMin, embedderId);
            scoresOutOfSample = "each probe is scored (against every case) through the transform relearned, with the"
                    + " package's recipe, on every person of the manifest but the probe's (cross-validation by identity, as"
                    + " docs/accuracy.md does for the tracing figures)";
        }
        List<CalibrationTrials.Trial> trials = CalibrationTrials.collect(tracing, vectorsFor, ranker);
        long probesScored = trials.stream().filter(CalibrationTrials.Trial::genuine).count();
        Result r = calibrate(trials);

        String name = outDir.toAbsolutePath().normalize().getFileName().toString();
        EvidenceCalibration calibration = new EvidenceCalibration(name, VERSION, modelId, r.mapping());
        out.printf(Locale.ROOT, "calibrate: model %s, case score %s; %d cases, %d probes (%d with a usable face and a"
                + " case with one); %d genuine and %d impostor case scores (%.1f s)%n", modelId, ranker.policy(),
                tracing.cases().size(), tracing.probes().size(), probesScored, r.inSample().genuine().length,
                r.inSample().impostor().length, (System.nanoTime() - start) / 1e9);
        print(r, calibration);
        Map<String, Figures> byGroup = new LinkedHashMap<>();
        groups(tracing, faces).forEach((label, which) -> byGroup.put(label, r.heldOutWhere(which)));
        out.println("  held out, by group (age gap: probe's age minus the case's oldest childhood photo with a face):");
        byGroup.forEach((label, f) -> out.printf(Locale.ROOT, "  %-46s genuine %3d impostor %4d  Cllr %.4f  Cllr_min %.4f"
                + "  median log10 LR genuine %5.2f impostor %5.2f  genuine LR < 1 %5.1f%%  impostor LR > 1 %5.1f%%%n", label,
                f.genuine().length, f.impostor().length, f.cllr(), f.cllrMin(), f.medianGenuine(), f.medianImpostor(),
                100 * CalibrationMetrics.share(f.genuine(), l -> l < 0), 100 * CalibrationMetrics.share(f.impostor(), l -> l > 0)));

        CalibrationPackage.Provenance provenance = new CalibrationPackage.Provenance(CalibrationPackage.FGNET_LICENCE_NOTE,
                "FG-NET dev half (research use); only aggregate parameters kept", List.of(manifestFile),
                manifest.photos().size(), manifest.byIdentity().size(), tracing.cases().size(), tracing.probes().size(),
                childMax, adultMin, embedderId, settingsDigest, transformDir, transform, scoresOutOfSample,
                Main.commandLine(embedding.command()));
        CalibrationPackage.write(outDir, calibration, r, byGroup, provenance);
        EvidenceCalibration reopened = EvidenceCalibration.open(outDir);
        out.println("wrote " + outDir + " (" + reopened.id() + ")");

        ObjectNode json = EvalCommand.JSON.createObjectNode();
        json.put("protocol", "calibrate");
        json.put("model", modelId);
        json.put("package", reopened.id());
        json.put("genuine", r.inSample().genuine().length);
        json.put("impostor", r.inSample().impostor().length);
        json.put("intercept", r.mapping().intercept());
        json.put("slope", r.mapping().slope());
        json.put("min_log10_lr", r.mapping().minLog10());
        json.put("max_log10_lr", r.mapping().maxLog10());
        json.put("cllr", EvalCommand.round(r.inSample().cllr()));
        json.put("cllr_min", EvalCommand.round(r.inSample().cllrMin()));
        json.put("heldout_cllr", EvalCommand.round(r.heldOut().cllr()));
        json.put("heldout_cllr_min", EvalCommand.round(r.heldOut().cllrMin()));
        json.put("heldout_median_genuine_log10_lr", EvalCommand.round(r.heldOut().medianGenuine()));
        json.put("heldout_median_impostor_log10_lr", EvalCommand.round(r.heldOut().medianImpostor()));
        json.put("heldout_genuine_above_median_impostor", EvalCommand.round(r.heldOut().genuineAboveMedianImpostor()));
        out.println(EvalCommand.JSON.writeValueAsString(json));
        return 0;
    }

    private void print(Result r, EvidenceCalibration c) {
        EvidenceMapping m = r.mapping();
        out.printf(Locale.ROOT, "fitted on all scores: log10 LR = %.4f + %.4f x score, bounded (ELUB) to [%.2f, %.2f],"
                + " LR %.3g to %.3g%n", m.intercept(), m.slope(), m.minLog10(), m.maxLog10(), c.minLikelihoodRatio(),
                c.maxLikelihoodRatio());
        out.printf(Locale.ROOT, "in sample:  Cllr %.4f  Cllr_min %.4f%n", r.inSample().cllr(), r.inSample().cllrMin());
        Figures h = r.heldOut();
        out.printf(Locale.ROOT, "held out (cross-validation by identity, %d people): Cllr %.4f  Cllr_min %.4f  calibration"
                + " loss %.4f  (%d genuine, %d impostor scores); without the bounds: Cllr %.4f%n", r.folds(), h.cllr(),
                h.cllrMin(), h.cllr() - h.cllrMin(), h.genuine().length, h.impostor().length, r.heldOutCllrUnbounded());
        StringBuilder head = new StringBuilder("  log10 LR, held out   ");
        for (double q : QUANTILES) {
            head.append(String.format(Locale.ROOT, "%8s", q == 0 ? "min" : q == 1 ? "max" : Math.round(q * 100) + "%"));
        }
        out.println(head);
        for (boolean genuine : new boolean[] {true, false}) {
            double[] v = genuine ? h.genuine() : h.impostor();
            StringBuilder row = new StringBuilder(genuine ? "  genuine              " : "  impostor             ");
            for (double q : QUANTILES) {
                row.append(String.format(Locale.ROOT, "%8.2f", CalibrationMetrics.quantile(v, q)));
            }
            out.println(row);
        }
        out.printf(Locale.ROOT, "  misleading: genuine with LR < 1 %.1f%%, impostor with LR > 1 %.1f%%; impostor with LR >= 10"
                + " %.2f%%, >= 100 %.2f%%; genuine above the median impostor's LR %.1f%%%n",
                100 * CalibrationMetrics.share(h.genuine(), l -> l < 0), 100 * CalibrationMetrics.share(h.impostor(), l -> l > 0),
                100 * CalibrationMetrics.share(h.impostor(), l -> l >= 1), 100 * CalibrationMetrics.share(h.impostor(), l -> l >= 2),
                100 * h.genuineAboveMedianImpostor());
        out.println("  band (held out)                                   genuine        impostor    top impostor of a probe");
        Map<Band, Integer> top = CalibrationMetrics.bands(r.topImpostorHeldOut());
        bandCounts(h).forEach((b, n) -> {
            if (n[0] + n[1] > 0) {
                out.printf(Locale.ROOT, "  %-48s %5d %5.1f%%  %6d %5.1f%%  %5d %5.1f%%%n", b.label(), n[0],
                        100.0 * n[0] / h.genuine().length, n[1], 100.0 * n[1] / h.impostor().length, top.get(b),
                        100.0 * top.get(b) / r.topImpostorHeldOut().length);
            }
        });
    }

    /**
     * Per probe, the photos' vectors through the transform relearned without the probe's person. The package's
     * recipe is looked up by its method name among the evaluation's recipes, and relearned on the whole manifest it
     * must reproduce the package: otherwise the manifest is not the data the transform was learned on, and
     * leaving a person out of it would not make that person's scores out of sample.
     */
    private static Function<Tracing.Probe, Function<Path, float[]>> relearned(Path dir, EmbeddingTransform transform, Manifest manifest,
            Map<Path, PhotoEmbeddings.Face> faces, double childMax, double adultMin, String embedderId) {
        JsonNode method = ModelPackage.open(dir).manifest().path("method");
        String label = method.path("name").asText("");
        TransformRecipe recipe = CrossValidation.recipes().stream().filter(r -> r.label().equals(label)).findFirst()
                .orElseThrow(() -> new EvalInputError("--transform " + dir + ": its recipe '" + label + "' is not one the"
                        + " evaluation can relearn (see TransformRecipe), so its scores cannot be cross-validated"));
        Map<Path, TransformRecipe.Sample> sampleOf = new HashMap<>();
        List<TransformRecipe.Sample> samples = new ArrayList<>();
        for (Manifest.Photo p : manifest.photos()) {
            PhotoEmbeddings.Face f = faces.get(p.file());
            if (f != null && f.found()) {
                TransformRecipe.Sample s = new TransformRecipe.Sample(p.identity(), p.age(), f.embedding(), f.flipped());
                samples.add(s);
                sampleOf.put(p.file(), s);
            }
        }
        EmbeddingTransform all = recipe.fit(samples, childMax, adultMin, transform.name(), embedderId);
        double difference = maxRelativeDifference(all, transform);
        if (difference > 1e-4) {
            throw new EvalInputError("--transform " + dir + " was not learned on " + manifest.csv() + " (relearned on it, its"
                    + " parameters differ by " + String.format(Locale.ROOT, "%.2g", difference) + " of their range): calibrate it"
                    + " on the manifest it was learned from, so that each probe's scores can come from the transform"
                    + " relearned without the probe's person");
        }
        Map<String, Function<Path, float[]>> folds = new HashMap<>();
        return probe -> folds.computeIfAbsent(probe.caseId(), person -> CrossValidation.fold(recipe, Set.of(person), false,
                manifest, sampleOf, childMax, adultMin, embedderId).vectors());
    }

    /** The largest difference between two transforms' parameters, relative to the largest parameter. */
    static double maxRelativeDifference(EmbeddingTransform a, EmbeddingTransform b) {
        if (a.inputDimension() != b.inputDimension() || a.outputDimension() != b.outputDimension()) {
            return Double.POSITIVE_INFINITY;
        }
        double diff = 0;
        double scale = 0;
        double[][] ma = a.matrix();
        double[][] mb = b.matrix();
        for (int r = 0; r < ma.length; r++) {
            for (int i = 0; i < ma[r].length; i++) {
                diff = Math.max(diff, Math.abs(ma[r][i] - mb[r][i]));
                scale = Math.max(scale, Math.abs(mb[r][i]));
            }
        }
        double[] va = a.mean();
        double[] vb = b.mean();
        double meanDiff = 0;
        double meanScale = 0;
        for (int i = 0; i < va.length; i++) {
            meanDiff = Math.max(meanDiff, Math.abs(va[i] - vb[i]));
            meanScale = Math.max(meanScale, Math.abs(vb[i]));
        }
        return Math.max(scale == 0 ? diff : diff / scale, meanScale == 0 ? meanDiff : meanDiff / meanScale);
    }

    /** The folder must be new, empty, or a calibration package (rewritten); anything else is refused untouched. */
    private static void checkOut(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new EvalInputError("--out " + dir + " is a file, not a package folder");
        }
        Path manifest = dir.resolve("manifest.json");
        if (Files.isRegularFile(manifest)) {
            String task;
            try {
                task = EvalCommand.JSON.readTree(manifest.toFile()).path("task").asText("");
            } catch (IOException e) {
                throw new EvalInputError("--out " + dir + " holds a manifest.json that is not JSON; choose another folder");
            }
            if (!EvidenceCalibration.TASK.equals(task)) {
                throw new EvalInputError("--out " + dir + " is another kind of model package (task '" + task
                        + "'); choose a new folder for the calibration");
            }
        } else if (Files.isDirectory(dir)) {
            try (var entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new EvalInputError("--out " + dir + " is a folder with files but no calibration manifest;"
                            + " choose a new or empty folder");
                }
            } catch (IOException e) {
                throw new EvalInputError("--out " + dir + ": cannot list the folder (" + e.getMessage() + ")");
            }
        }
        String name = dir.toAbsolutePath().normalize().getFileName().toString();
        if (!name.matches("[a-z0-9][a-z0-9._-]*")) {
            throw new EvalInputError("--out " + dir + ": the folder's name is the package's name and must be lower-case letters,"
                    + " digits, '.', '_' or '-' (e.g. homeward-evidence-calibration-dlib-v1), not '" + name + "'");
        }
    }

    /** Rows of a table of bands: label, genuine count and share, impostor count and share. */
    static Map<Band, int[]> bandCounts(Figures f) {
        Map<Band, Integer> g = CalibrationMetrics.bands(f.genuine());
        Map<Band, Integer> d = CalibrationMetrics.bands(f.impostor());
        Map<Band, int[]> rows = new LinkedHashMap<>();
        for (Band b : Band.values()) {
            rows.put(b, new int[] {g.get(b), d.get(b)});
        }
        return rows;
    }
}
