package org.homeward.tools.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Predicate;
import org.homeward.faces.ModelBundle;
import org.homeward.faces.index.EmbeddingKind;
import org.homeward.matching.CaseRanker;
import org.homeward.matching.EvidenceCalibration;
import org.homeward.models.AgeEstimator;
import org.homeward.models.EmbeddingTransform;
import org.homeward.models.ScoreCohort;
import org.homeward.models.Similarity;
import org.homeward.tools.Main;
import org.homeward.tools.projections.AnnotatedPhoto;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code eval scale}: the development protocol at scale. Cases are fgnet-dev's children (photos at age &lt;=
 * child-max-age) and lag-train's people (their "young" photos); probes are the adult photos of both. The people of
 * both sets are dealt into folds by identity (seeded); in each fold, the transform is fitted on the other folds'
 * people only, and the fold's probes are searched against the fold's cases alone, so nothing fitted has seen a
 * probe's person or any case it competes with. The cohort of adult faces that score normalisation compares a case
 * face against is the training folds' lag-train adults: a cohort the service could hold, never a searched person.
 *
 * <p>Headline figures are for fgnet-dev's probes (scanned family photos with known ages); lag-train's probes
 * (celebrities, tight crops) are reported beside them, since they are many more and steady the choice between
 * recipes. Child-to-adult verification: every fgnet-dev childhood photo of the fold against every adult photo of the
 * fold (same person: genuine; others: impostor); a pair with a photo without a usable face scores below everything.
 */
@Command(name = "scale", description = {"The development protocol at scale: FG-NET's people among lag-train's,"
        + " folds by identity, each setting fitted on the other folds (docs/accuracy.md)."})
final class ScaleProtocol implements Callable<Integer> {

    static final String LAG = "lag:";
    /** lag-train has no ages: its groups stand at these ages for the recipes' child/adult split. */
    private static final double YOUNG_AGE = 8;
    private static final double ADULT_AGE = 30;

    /** How scores are normalised against the cohort of adult faces: none, or minus the mean of the top k. */
    record Cohort(int top, int centroids) {
        static final Cohort NONE = new Cohort(0, 0);

        Cohort(int top) {
            this(top, 0);
        }

        boolean on() {
            return top > 0;
        }

        String label() {
            return !on() ? "no cohort" : centroids > 0 ? "cohort of " + centroids + " centroids, mean top " + top
                    : "cohort mean top " + top;
        }
    }

    /** The package the kept setting is written as (--write-transform). */
    static final String V2 = "homeward-embedding-transform-v2";
    /** The cohort the package carries: lag-train's adult faces summed up in this many centres, and the top taken. */
    static final int PACKAGE_CENTRES = 400;
    static final int PACKAGE_TOP = 60;
    /**
     * The package's cohort rule scaled to a fold: a fold's cohort is half of lag-train's adult faces, so half the
     * centres and half the top (about 3 faces per centre either way).
     */
    static final Cohort SHIPPED_COHORT = new Cohort(PACKAGE_TOP / 2, PACKAGE_CENTRES / 2);
    /** The setting docs/accuracy.md keeps: the v1 recipe fitted on both data sets, with the cohort. */
    static final Setting KEPT = new Setting(CrossValidation.KEPT, true, true, SHIPPED_COHORT);
    /** The settings whose bias tables are printed: the plain embedding, v1's data alone, and the kept one. */
    static final List<Setting> BIAS = List.of(new Setting(TransformRecipe.plain(), false, false, Cohort.NONE),
            new Setting(CrossValidation.KEPT, true, false, Cohort.NONE), KEPT);

    /**
     * One setting to judge: a transform recipe, trained on fgnet-dev and/or lag-train, and a cohort rule; or, with
     * {@code adapted}, vectors computed elsewhere fold by fold (fold -> photo -> vector, each fold's by a model
     * trained without that fold's people: {@code --vectors}).
     */
    record Setting(String name, TransformRecipe recipe, boolean fgnetTraining, boolean lagTraining, Cohort cohort,
            Map<Integer, Map<Path, float[]>> adapted, Fusion fusion) {

        Setting(TransformRecipe recipe, boolean fgnetTraining, boolean lagTraining, Cohort cohort) {
            this(null, recipe, fgnetTraining, lagTraining, cohort, null, null);
        }

        static Setting adapted(String name, Map<Integer, Map<Path, float[]>> vectors, Cohort cohort) {
            return new Setting(name, TransformRecipe.plain(), false, false, cohort, vectors, null);
        }

        Setting fusedWith(Fusion f) {
            return new Setting(name, recipe, fgnetTraining, lagTraining, cohort, adapted, f);
        }

        String label() {
            String fused = fusion == null ? "" : String.format(Locale.ROOT, " + %s x%.2f", fusion.name(), fusion.weight());
            if (adapted != null) {
                return name + ", " + cohort.label() + fused;
            }
            String data = !recipe.learned() ? "" : fgnetTraining && lagTraining ? " [fgnet+lag]"
                    : fgnetTraining ? " [fgnet]" : " [lag]";
            return recipe.label() + data + ", " + cohort.label() + fused;
        }
    }

    /**
     * A second embedder's vectors (photo -> vector, computed outside by a model that never saw these people: {@code
     * --fuse}), fused at the score level: each face pair scores (1 - weight) x the setting's score + weight x the
     * second model's cosine, each normalised against its own vectors of the same cohort. Weight 1 is the second
     * model alone.
     */
    record Fusion(String name, Map<Path, float[]> vectors, double weight) {
    }

    /** The figures of one setting over all folds. */
    record Row(Setting setting, Metrics.RankSummary fgnet, Metrics.RankSummary lag, double auc, double tarAtFar1e2,
            double tarAtFar1e3, int cases, List<Gap> gaps, Adults adults) {

        Row withAdults(Adults a) {
            return new Row(setting, fgnet, lag, auc, tarAtFar1e2, tarAtFar1e3, cases, gaps, a);
        }

        void writeTo(ObjectNode n) {
            n.put("setting", setting.label());
            n.put("rank1", EvalCommand.round(fgnet.rank1()));
            n.put("rank5", EvalCommand.round(fgnet.rank5()));
            n.put("rank10", EvalCommand.round(fgnet.rank10()));
            n.put("mrr", EvalCommand.round(fgnet.mrr()));
            n.put("lag_rank1", EvalCommand.round(lag.rank1()));
            n.put("lag_rank10", EvalCommand.round(lag.rank10()));
            n.put("lag_mrr", EvalCommand.round(lag.mrr()));
            n.put("auc", EvalCommand.round(auc));
            n.put("tar_at_far_1e-2", EvalCommand.round(tarAtFar1e2));
            n.put("tar_at_far_1e-3", EvalCommand.round(tarAtFar1e3));
            if (adults != null) {
                n.put("lfw_auc", EvalCommand.round(adults.auc()));
                n.put("lfw_tar_at_far_1e-2", EvalCommand.round(adults.tarAtFar1e2()));
            }
        }
    }

    /**
     * Adults still matched: the setting fitted on everyone, judged on the pairs of another data set (the LFW subset,
     * which nothing here is fitted on) whose two photos both have a usable face: AUC and TAR at FAR 1%.
     */
    record Adults(int pairs, double auc, double tarAtFar1e2) {
    }

    /** An fgnet-dev probe's rank and the years since its case's oldest childhood photo with a face (NaN: none). */
    record Gap(int rank, double years) {
    }

    record Photo(Path file, String identity, double age, boolean fgnet) {
    }

    @Option(names = "--manifest", required = true, paramLabel = "FGNET.csv", description = "the photos with ages:"
            + " path,identity,age (fgnet-dev)")
    private Path manifestFile;
    @Option(names = "--distractors", required = true, paramLabel = "LAG.csv", description = "other people:"
            + " path,identity,group young|adult (lag-train)")
    private Path lagFile;
    @Option(names = "--folds", paramLabel = "K", description = "folds by identity, 2 to 10")
    private int folds = 2;
    @Option(names = "--seed", paramLabel = "S", description = "deals the identities into folds")
    private long seed = 1;
    @Option(names = "--no-distractors", description = "fgnet-dev's cases only")
    private boolean noDistractors;
    @Option(names = "--aggregation", paramLabel = "RULE", converter = Aggregation.class, description = Aggregation.HELP,
            showDefaultValue = Visibility.NEVER)
    private CaseRanker ranker = CaseRanker.DEFAULT;
    @Option(names = "--write-transform", paramLabel = "DIR", description = "fit the kept setting on everyone and write"
            + " it as a model package there")
    private Path writeTransform;
    @Option(names = "--write-calibration", paramLabel = "DIR", description = "with --write-transform: its evidence"
            + " calibration, fitted on the out-of-fold case scores")
    private Path writeCalibration;
    @Option(names = "--lfw-pairs", paramLabel = "P.txt", description = "LFW pairs: are adults still matched?")
    private Path lfwPairs;
    @Option(names = "--lfw-images", paramLabel = "R", description = "with --lfw-pairs: the folder of its photos")
    private Path lfwImages;
    @Option(names = "--export", paramLabel = "F.jsonl", description = "write every photo's fold and vectors there")
    private Path export;
    @Option(names = "--vectors", paramLabel = "V.jsonl", description = "compare another model's vectors, per fold")
    private Path vectors;
    @Option(names = "--fuse", paramLabel = "V.jsonl", description = "fuse a second model's vectors with the kept setting")
    private Path fuse;
    @Option(names = "--fuse-weights", split = ",", paramLabel = "W", description = "with --fuse: the weights, each above"
            + " 0 up to 1")
    private List<Double> fuseWeights = List.of(0.2, 0.35, 0.5, 1.0);
    @Option(names = "--projections", description = "search every case's age projections too, drawn as the app would"
            + " (prototypes without the fold's people), for the raw embedding and the kept setting, under several rules")
    private boolean projections;
    @Option(names = "--projection-ages", split = ",", paramLabel = "A", description = "with --projections: the ages"
            + " projected to, those more than 2 years above the photo's")
    private List<Double> projectionAges = List.of(10.0, 15.0, 20.0, 25.0, 30.0, 35.0, 40.0, 45.0, 50.0);
    @Option(names = "--project-every-face", description = "with --projections: project every case face, also those the"
            + " app refuses as too small or turned (lag-train's 100 px crops), so that distractors get projections too")
    private boolean projectEveryFace;
    @Mixin
    private AgeOptions ages;
    @Mixin
    private EmbeddingOptions embedding;

    private final PrintStream out;
    /** With --projections: each case photo's projections, and each probe's estimated age (the search's window). */
    private ScaleProjections drawn;
    private Map<Path, Float> probeAges = Map.of();

    ScaleProtocol(PrintStream out) {
        this.out = out;
    }

    /** The recipes and cohort rules compared. */
    static List<Setting> settings() {
        List<Setting> s = new ArrayList<>();
        TransformRecipe flip = TransformRecipe.flipOnly();
        s.add(new Setting(TransformRecipe.plain(), false, false, Cohort.NONE));
        s.add(new Setting(flip, false, false, Cohort.NONE));
        s.add(new Setting(flip, false, false, SHIPPED_COHORT));
        s.add(new Setting(CrossValidation.KEPT, true, false, Cohort.NONE));
        s.add(new Setting(CrossValidation.KEPT, true, false, SHIPPED_COHORT));
        List<TransformRecipe> recipes = new ArrayList<>();
        for (double a : new double[] {0.3, 0.6, 0.8}) {
            recipes.add(new TransformRecipe("flip+center+WCCN" + a, true, true, 0, a, 0));
        }
        for (int k : new int[] {1, 2, 4}) {
            for (double a : new double[] {0.3, 0.6, 0.8}) {
                recipes.add(new TransformRecipe("flip+center+NAP" + k + "+WCCN" + a, true, true, k, a, 0));
            }
        }
        recipes.add(new TransformRecipe("flip+center+NAP1+WCCN0.9", true, true, 1, 0.9, 0));
        recipes.add(new TransformRecipe("flip+center+NAP1+WCCN0.95", true, true, 1, 0.95, 0));
        recipes.add(new TransformRecipe("flip+center+WCCN0.3+LDA64", true, true, 0, 0.3, 64));
        for (double a : new double[] {0.3, 0.6, 0.8}) {
            recipes.add(new TransformRecipe("flip+center+WCCN" + a + "+PLDA", true, true, 0, a, 0, true));
            recipes.add(new TransformRecipe("flip+center+NAP1+WCCN" + a + "+PLDA", true, true, 1, a, 0, true));
        }
        for (TransformRecipe r : recipes) {
            s.add(new Setting(r, true, true, Cohort.NONE));
            s.add(new Setting(r, true, true, SHIPPED_COHORT));
        }
        for (Cohort c : List.of(new Cohort(20), new Cohort(50), new Cohort(100), new Cohort(200), new Cohort(10, 64),
                new Cohort(20, 128))) {
            s.add(new Setting(CrossValidation.KEPT, true, true, c));
        }
        return s;
    }

    @Override
    public Integer call() throws IOException {
        double childMax = ages.childMax();
        double adultMin = ages.adultMin();
        Main.within("--folds", folds, 2, 10);
        if (writeCalibration != null && writeTransform == null) {
            throw new EvalInputError("--write-calibration needs --write-transform: the calibration is of the package written");
        }
        if ((lfwPairs == null) != (lfwImages == null)) {
            throw new EvalInputError("--lfw-pairs and --lfw-images go together: the pairs list and the folder of its photos");
        }
        Manifest fgnet = Manifest.read(manifestFile, true);
        List<Photo> photos = new ArrayList<>();
        for (Manifest.Photo p : fgnet.photos()) {
            photos.add(new Photo(p.file(), p.identity(), p.age(), true));
        }
        for (String group : List.of("young", "adult")) {
            for (Manifest.Photo p : Manifest.read(lagFile, false, group).photos()) {
                photos.add(new Photo(p.file(), LAG + p.identity(), group.equals("young") ? YOUNG_AGE : ADULT_AGE, false));
            }
        }
        Map<String, Integer> foldOf = deal(photos, folds, seed);
        List<Verification.ResolvedPair> lfw = lfwPairs == null ? null
                : Verification.resolveLfw(PairsList.read(lfwPairs), lfwImages);

        Map<Path, PhotoEmbeddings.Face> faces;
        String embedderId;
        String settingsDigest;
        long start = System.nanoTime();
        PhotoEmbeddings embeddings = embedding.open();
        try (embeddings) {
            Set<Path> files = new LinkedHashSet<>(photos.stream().map(Photo::file).toList());
            if (lfw != null) {
                files.addAll(Verification.files(lfw));
            }
            faces = embeddings.embed(files, true);
            embedderId = embeddings.modelId();
            settingsDigest = embeddings.settingsDigest();
        }
        Map<Path, TransformRecipe.Sample> sampleOf = new HashMap<>();
        for (Photo p : photos) {
            PhotoEmbeddings.Face f = faces.get(p.file());
            if (f.found()) {
                sampleOf.put(p.file(), new TransformRecipe.Sample(p.identity(), p.age(), f.embedding(), f.flipped()));
            }
        }
        long noFace = faces.values().stream().filter(f -> !f.found()).count();
        out.printf(Locale.ROOT, "scale protocol: %d photos (%d without a usable face), %d identities (%d fgnet-dev, %d lag-train),"
                + " %d folds by identity (seed %d); embeddings in %.1f s%n", photos.size(), noFace, foldOf.size(),
                fgnet.byIdentity().size(), foldOf.size() - fgnet.byIdentity().size(), folds, seed,
                (System.nanoTime() - start) / 1e9);

        if (export != null) {
            export(export, photos, foldOf, faces);
        }
        if (projections) {
            return withProjections(photos, foldOf, faces, sampleOf, childMax, adultMin, embedderId, embeddings.modelsDir());
        }
        List<Setting> settings = new ArrayList<>(settings());
        if (vectors != null) {
            Map<Integer, Map<Path, float[]>> adapted = readVectors(vectors, folds);
            for (Cohort c : List.of(Cohort.NONE, new Cohort(100))) {
                settings.add(Setting.adapted("adapter " + vectors.getFileName(), adapted, c));
            }
        }
        if (fuse != null) {
            settings.addAll(fusedSettings(fuse, fuseWeights, sampleOf.keySet()));
        }
        List<Row> rows = new ArrayList<>();
        List<CalibrationTrials.Trial> trials = new ArrayList<>();
        for (Setting s : settings) {
            Row r = evaluate(s, photos, foldOf, folds, sampleOf, childMax, adultMin, embedderId, ranker,
                    s.equals(KEPT) ? trials : null, p -> true);
            if (lfw != null && s.adapted() == null && s.fusion() == null) {
                r = r.withAdults(adults(s, photos, sampleOf, faces, lfw, childMax, adultMin, embedderId));
            }
            rows.add(r);
            out.printf(Locale.ROOT, "%-58s fgnet rank-1 %.4f rank-5 %.4f rank-10 %.4f MRR %.4f | lag rank-1 %.4f rank-10 %.4f"
                    + " MRR %.4f | child-adult AUC %.4f TAR@1e-2 %.4f TAR@1e-3 %.4f%n", s.label(), r.fgnet().rank1(),
                    r.fgnet().rank5(), r.fgnet().rank10(), r.fgnet().mrr(), r.lag().rank1(), r.lag().rank10(), r.lag().mrr(),
                    r.auc(), r.tarAtFar1e2(), r.tarAtFar1e3());
            if (r.adults() != null) {
                out.printf(Locale.ROOT, "%-58s LFW pairs with a face on both: %d, AUC %.4f, TAR@1e-2 %.4f%n", "",
                        r.adults().pairs(), r.adults().auc(), r.adults().tarAtFar1e2());
            }
        }
        for (Row r : rows) {
            if (BIAS.contains(r.setting())) {
                bias(r, photos, foldOf, folds, sampleOf, childMax, adultMin, embedderId, ranker).forEach(out::println);
            }
        }
        ObjectNode json = EvalCommand.JSON.createObjectNode();
        json.put("protocol", "scale");
        json.put("model", embedderId);
        json.put("folds", folds);
        json.put("seed", seed);
        json.put("cases_per_fold", rows.get(0).cases() / folds);
        json.put("ranking", ranker.policy().toString());
        json.put("no_face", noFace);
        ArrayNode steps = json.putArray("settings");
        for (Row r : rows) {
            r.writeTo(steps.addObject());
        }
        if (writeTransform != null) {
            writePackage(writeTransform, photos, sampleOf, rows, childMax, adultMin, embedderId, fgnet.byIdentity().size());
            out.println("wrote " + writeTransform);
        }
        if (writeCalibration != null) {
            writeCalibration(writeCalibration, writeTransform, trials, photos, rows.get(0).cases(), childMax, adultMin, embedderId,
                    settingsDigest, List.of(manifestFile, lagFile));
        }
        out.println(EvalCommand.JSON.writeValueAsString(json));
        return 0;
    }

    /**
     * {@code --projections}: the case photos projected, then the raw embedding and the kept setting searched with the
     * originals only and with projections under several rules (docs/projections.md, "Measured effect on search").
     */
    private int withProjections(List<Photo> photos, Map<String, Integer> foldOf, Map<Path, PhotoEmbeddings.Face> faces,
            Map<Path, TransformRecipe.Sample> sampleOf, double childMax, double adultMin, String embedderId, Path modelsDir)
            throws IOException {
        projectionAges.forEach(a -> Main.within("--projection-ages", a, 0, 100));
        List<Photo> casePhotos = photos.stream().filter(p -> p.age() <= childMax && (p.fgnet() || !noDistractors)).toList();
        long start = System.nanoTime();
        try (ModelBundle bundle = new ModelBundle(modelsDir, embedding.device, PhotoEmbeddings.DETECTOR_MAX_SIDE)) {
            AgeEstimator estimator = bundle.ageEstimator().orElseThrow(() -> new EvalInputError(
                    "--projections needs the bundle's age estimator: the search's age window reads the probe's estimated age"));
            drawn = ScaleProjections.draw(casePhotos, foldOf, folds, faces, AnnotatedPhoto.readCsv(manifestFile),
                    bundle.embedder(), projectionAges, !projectEveryFace, System.err);
            Map<Path, Float> estimated = new HashMap<>();
            for (Photo p : photos) {
                PhotoEmbeddings.Face f = faces.get(p.file());
                if (p.age() >= adultMin && f != null && f.found()) {
                    estimated.put(p.file(), (float) estimator.estimate(f.embedding()).years());
                }
            }
            probeAges = estimated;
        }
        sampleOf.putAll(drawn.samples());
        out.printf(Locale.ROOT, "projections: %s; %.0f s%n", drawn.summary(), (System.nanoTime() - start) / 1e9);
        CaseRanker.Policy base = ranker.policy();
        List<CaseRanker> rules = List.of(new CaseRanker(base.withProjections(Double.POSITIVE_INFINITY, 0)),
                new CaseRanker(base.withProjections(5, 0.5)), new CaseRanker(base.withProjections(5, 1)),
                new CaseRanker(base.withProjections(10, 0.5)));
        ObjectNode json = EvalCommand.JSON.createObjectNode();
        json.put("protocol", "scale-projections");
        json.put("folds", folds);
        json.put("seed", seed);
        ArrayNode rows = json.putArray("rows");
        for (Setting s : List.of(new Setting(TransformRecipe.plain(), false, false, Cohort.NONE), KEPT)) {
            for (CaseRanker rule : rules) {
                Row r = evaluate(s, photos, foldOf, folds, sampleOf, childMax, adultMin, embedderId, rule, null, p -> true);
                out.printf(Locale.ROOT, "%-58s %-40s fgnet rank-1 %.4f rank-10 %.4f MRR %.4f | lag rank-1 %.4f rank-10 %.4f MRR"
                        + " %.4f%n", s.label(), rule.policy(), r.fgnet().rank1(), r.fgnet().rank10(), r.fgnet().mrr(),
                        r.lag().rank1(), r.lag().rank10(), r.lag().mrr());
                ObjectNode n = rows.addObject();
                n.put("ranking", rule.policy().toString());
                r.writeTo(n);
            }
        }
        out.println(EvalCommand.JSON.writeValueAsString(json));
        return 0;
    }

    /**
     * Fits the evidence calibration of the written package on the kept setting's out-of-fold case scores (every probe
     * of both data sets against every case of its fold), held-out figures by leaving each person out, and writes it.
     */
    private void writeCalibration(Path dir, Path transformDir, List<CalibrationTrials.Trial> trials, List<Photo> photos,
            int cases, double childMax, double adultMin, String embedderId, String settingsDigest, List<Path> manifests)
            throws IOException {
        EmbeddingTransform transform = EmbeddingTransform.open(transformDir);
        Calibrate.Result r = Calibrate.calibrate(trials);
        String name = dir.toAbsolutePath().normalize().getFileName().toString();
        EvidenceCalibration calibration = new EvidenceCalibration(name, Calibrate.VERSION, transform.modelId(), r.mapping());
        Map<String, Calibrate.Figures> byGroup = new LinkedHashMap<>();
        byGroup.put("fgnet-dev probes", r.heldOutWhere(t -> !t.probeIdentity().startsWith(LAG)));
        byGroup.put("lag-train probes", r.heldOutWhere(t -> t.probeIdentity().startsWith(LAG)));
        long probes = trials.stream().map(CalibrationTrials.Trial::probe).distinct().count();
        CalibrationPackage.Provenance p = new CalibrationPackage.Provenance("Learned by the Homeward project on the FG-NET"
                + " Aging Database (dev half; research use only) and lag-train (Large Age-Gap database, training part;"
                + " academic, non-commercial use only, no redistribution), and inherits those terms. The parameters are"
                + " aggregate numbers (two calibration coefficients and two bounds); no photo, face, descriptor, score or"
                + " label is stored. Refit on data with a licence for your use before any operational deployment.",
                "FG-NET dev half (research use) and lag-train (academic, non-commercial); only aggregate parameters kept",
                manifests, photos.size(), (int) photos.stream().map(Photo::identity).distinct().count(), cases, (int) probes,
                childMax, adultMin, embedderId, settingsDigest, transformDir, transform, "the development protocol at scale"
                        + " (eval scale): each probe is scored against every case of its fold through the transform and cohort"
                        + " fitted on the other fold, so no score comes from a model that saw its probe or its cases",
                Main.commandLine(embedding.command()));
        CalibrationPackage.write(dir, calibration, r, byGroup, p);
        EvidenceCalibration reopened = EvidenceCalibration.open(dir);
        out.printf(Locale.ROOT, "wrote %s (%s): %d genuine and %d impostor case scores; held out (each person left out):"
                + " Cllr %.4f, Cllr_min %.4f; fgnet-dev probes %.4f, lag-train probes %.4f%n", dir, reopened.id(),
                r.inSample().genuine().length, r.inSample().impostor().length, r.heldOut().cllr(), r.heldOut().cllrMin(),
                byGroup.get("fgnet-dev probes").cllr(), byGroup.get("lag-train probes").cllr());
    }

    /** Fits the kept setting on everyone (both data sets) and writes it as the v2 package. */
    private void writePackage(Path dir, List<Photo> photos, Map<Path, TransformRecipe.Sample> sampleOf, List<Row> rows,
            double childMax, double adultMin, String embedderId, int fgnetIdentities) throws IOException {
        List<TransformRecipe.Sample> all = photos.stream().map(p -> sampleOf.get(p.file())).filter(x -> x != null).toList();
        TransformRecipe recipe = KEPT.recipe();
        EmbeddingTransform fitted = recipe.fit(all, childMax, adultMin, V2, embedderId);
        List<float[]> adults = photos.stream().filter(p -> !p.fgnet() && p.age() >= adultMin && sampleOf.containsKey(p.file()))
                .map(p -> fitted.apply(sampleOf.get(p.file()).input(recipe.flip()))).toList();
        List<float[]> centres = KMeans.centroids(adults, PACKAGE_CENTRES, 1);
        EmbeddingTransform t = new EmbeddingTransform(V2, embedderId, recipe.flip(), fitted.mean(), fitted.matrix(),
                new ScoreCohort(centres.toArray(float[][]::new), Math.min(PACKAGE_TOP, centres.size())));
        Set<String> kept = Set.of(settings().get(0).label(), KEPT.label(),
                new Setting(CrossValidation.KEPT, true, false, Cohort.NONE).label());
        TransformPackage.Provenance p = new TransformPackage.Provenance(V2, "2.0.0", "Learned by the Homeward project on"
                + " the FG-NET Aging Database (dev half; research use only) and the Large Age-Gap database's training part"
                + " (lag-train; Bianco 2017; academic, non-commercial use only, no redistribution). The parameters are"
                + " aggregate numbers (a mean vector, a linear map, and " + PACKAGE_CENTRES + " cohort centres, each the mean"
                + " of about " + adults.size() / PACKAGE_CENTRES + " adult faces' vectors); no photo, face, single person's"
                + " descriptor or label is stored. They inherit those terms: research and non-commercial use only, and relearn"
                + " on data with a licence for your use before any operational deployment. homeward-embedding-transform-v1"
                + " (FG-NET only) or no transform remain the choices that do not need lag-train.",
                "FG-NET dev half (research use) and lag-train (academic, non-commercial), only aggregate parameters kept",
                photos.size(), all.size(), (int) photos.stream().map(Photo::identity).distinct().count(),
                "the development protocol at scale (deploy/homeward eval scale; docs/accuracy.md): " + fgnetIdentities
                        + " fgnet-dev and " + (photos.stream().map(Photo::identity).distinct().count() - fgnetIdentities)
                        + " lag-train people in 2 folds by identity, each fold searched against its own cases only through a"
                        + " transform and cohort fitted on the other fold",
                "fgnet-dev's and lag-train's childhood photos as cases, their adult photos as probes, 2 folds by identity",
                TransformPackage.figuresOf(rows, r -> kept.contains(r.setting().label()), (r, n) -> r.writeTo(n)));
        TransformPackage.write(dir, recipe, t, childMax, adultMin, p, embedding.command());
    }

    /**
     * Writes the protocol's photos for an outside trainer (deploy/models/train_adapter.py), one JSON object per line:
     * file, identity, fgnet (true: fgnet-dev), age (lag-train: its group's stand-in age), fold, raw and flipped
     * vectors (empty without a usable face) and the face's five landmarks (absent without one). Derived from research
     * data: keep it out of the repository.
     */
    private void export(Path file, List<Photo> photos, Map<String, Integer> foldOf, Map<Path, PhotoEmbeddings.Face> faces)
            throws IOException {
        try (var w = Files.newBufferedWriter(file)) {
            for (Photo p : photos) {
                PhotoEmbeddings.Face f = faces.get(p.file());
                ObjectNode n = EvalCommand.JSON.createObjectNode();
                n.put("file", p.file().toString());
                n.put("identity", p.identity());
                n.put("fgnet", p.fgnet());
                n.put("age", p.age());
                n.put("fold", foldOf.get(p.identity()));
                ArrayNode raw = n.putArray("raw");
                ArrayNode flipped = n.putArray("flipped");
                if (f.found()) {
                    EvalCommand.addFloats(raw, f.embedding());
                    EvalCommand.addFloats(flipped, f.flipped());
                    EvalCommand.addFloats(n.putArray("landmarks"), f.landmarks());
                }
                w.write(EvalCommand.JSON.writeValueAsString(n));
                w.newLine();
            }
        }
        out.println("wrote " + file);
    }

    /** The plain flipped embedding and the kept setting, each fused with the second model at each weight. */
    private static List<Setting> fusedSettings(Path file, List<Double> weights, Set<Path> withFace) throws IOException {
        Map<Path, float[]> vectors = new HashMap<>();
        readVectors(file, 0).values().forEach(vectors::putAll);
        long missing = withFace.stream().filter(f -> !vectors.containsKey(f)).count();
        if (missing > 0) {
            throw new EvalInputError(file + ": no vector for " + missing + " of the " + withFace.size()
                    + " photos with a usable face; compute it for every photo of the export");
        }
        TransformRecipe flip = TransformRecipe.flipOnly();
        List<Setting> out = new ArrayList<>();
        for (double weight : weights) {
            if (!(weight > 0 && weight <= 1)) {
                throw new EvalInputError("--fuse-weights takes numbers above 0 up to 1, not " + weight);
            }
            Fusion f = new Fusion(file.getFileName().toString(), vectors, weight);
            out.add(new Setting(flip, false, false, Cohort.NONE).fusedWith(f));
            out.add(new Setting(flip, false, false, SHIPPED_COHORT).fusedWith(f));
            out.add(KEPT.fusedWith(f));
        }
        return out;
    }

    /** Reads vectors computed fold by fold: one JSON object per line, {fold, file, vector}; folds 0: any number. */
    private static Map<Integer, Map<Path, float[]>> readVectors(Path file, int folds) throws IOException {
        Map<Integer, Map<Path, float[]>> byFold = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank()) {
                continue;
            }
            var n = EvalCommand.JSON.readTree(line);
            float[] v = new float[n.path("vector").size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) n.path("vector").get(i).asDouble();
            }
            byFold.computeIfAbsent(n.path("fold").asInt(), k -> new HashMap<>()).put(Path.of(n.path("file").asText()), v);
        }
        if (folds > 0 && byFold.size() != folds) {
            throw new EvalInputError(file + ": vectors for " + byFold.size() + " folds, but the protocol has " + folds);
        }
        return byFold;
    }

    /** The setting fitted on everyone it may learn from, scored on the adult pairs where both photos have a face. */
    private static Adults adults(Setting s, List<Photo> photos, Map<Path, TransformRecipe.Sample> sampleOf,
            Map<Path, PhotoEmbeddings.Face> faces, List<Verification.ResolvedPair> pairs, double childMax, double adultMin,
            String embedderId) {
        List<TransformRecipe.Sample> training = photos.stream().filter(p -> sampleOf.containsKey(p.file()))
                .filter(p -> p.fgnet() ? s.fgnetTraining() : s.lagTraining()).map(p -> sampleOf.get(p.file())).toList();
        EmbeddingTransform t = s.recipe().learned() ? s.recipe().fit(training, childMax, adultMin, "adults", embedderId) : null;
        Function<Path, float[]> vec = EvalCommand.searchable(t, s.recipe().flip()).compose(faces::get);
        List<Double> genuine = new ArrayList<>();
        List<Double> impostor = new ArrayList<>();
        for (Verification.ResolvedPair p : pairs) {
            float[] a = vec.apply(p.a().file());
            float[] b = vec.apply(p.b().file());
            if (a != null && b != null) {
                (p.pair().same() ? genuine : impostor).add(Similarity.cosine(a, b));
            }
        }
        double[] g = genuine.stream().mapToDouble(Double::doubleValue).toArray();
        double[] i = impostor.stream().mapToDouble(Double::doubleValue).toArray();
        return new Adults(g.length + i.length, Metrics.auc(g, i), Metrics.tarAtFar(g, i, 1e-2));
    }

    /**
     * fgnet-dev probes by age at the childhood photo (every fgnet-dev case reduced to its photos in one band, searched
     * again; lag-train's cases stay whole) and by the age gap (from the main run), as text lines.
     */
    private List<String> bias(Row row, List<Photo> photos, Map<String, Integer> foldOf, int folds,
            Map<Path, TransformRecipe.Sample> sampleOf, double childMax, double adultMin, String embedderId, CaseRanker ranker) {
        List<String> lines = new ArrayList<>();
        lines.add("bias, " + row.setting().label() + " (fgnet-dev probes, out of fold, lag-train cases in the gallery):");
        for (TracingReport.Band band : TracingReport.childBands(childMax)) {
            Row r = evaluate(row.setting(), photos, foldOf, folds, sampleOf, childMax, adultMin, embedderId, ranker, null,
                    p -> !p.fgnet() || band.contains(p.age()));
            lines.add(String.format(Locale.ROOT, "  childhood photos aged %-6s probes %3d  rank-1 %.4f rank-10 %.4f MRR %.4f",
                    band.label(), r.fgnet().probes(), r.fgnet().rank1(), r.fgnet().rank10(), r.fgnet().mrr()));
        }
        for (TracingReport.Band gap : TracingReport.GAPS) {
            int[] ranks = row.gaps().stream().filter(g -> !Double.isNaN(g.years()) && gap.contains(g.years()))
                    .mapToInt(Gap::rank).toArray();
            Metrics.RankSummary rs = Metrics.ranks(ranks);
            lines.add(String.format(Locale.ROOT, "  age gap %-17s probes %3d  rank-1 %.4f rank-10 %.4f MRR %.4f", gap.label(),
                    rs.probes(), rs.rank1(), rs.rank10(), rs.mrr()));
        }
        return lines;
    }

    /** Deals each data set's identities into folds: shuffled with the seed, then round robin, so folds stay balanced. */
    static Map<String, Integer> deal(List<Photo> photos, int folds, long seed) {
        Map<String, Integer> foldOf = new LinkedHashMap<>();
        for (boolean fgnet : new boolean[] {true, false}) {
            List<String> ids = new ArrayList<>(new LinkedHashSet<>(photos.stream().filter(p -> p.fgnet() == fgnet)
                    .map(Photo::identity).sorted().toList()));
            Collections.shuffle(ids, new Random(seed));
            for (int i = 0; i < ids.size(); i++) {
                foldOf.put(ids.get(i), i % folds);
            }
        }
        return foldOf;
    }

    /**
     * The setting's figures over all folds; {@code trials} (when not null) receives every probe's case score against
     * every case of its fold, out of fold, for the evidence calibration.
     */
    private Row evaluate(Setting s, List<Photo> photos, Map<String, Integer> foldOf, int folds,
            Map<Path, TransformRecipe.Sample> sampleOf, double childMax, double adultMin, String embedderId, CaseRanker ranker,
            List<CalibrationTrials.Trial> trials, Predicate<Photo> caseFilter) {
        boolean fgnetCasesOnly = noDistractors;
        List<Integer> fgnetRanks = new ArrayList<>();
        List<Gap> gaps = new ArrayList<>();
        List<Integer> lagRanks = new ArrayList<>();
        List<Double> genuine = new ArrayList<>();
        List<Double> impostor = new ArrayList<>();
        int cases = 0;
        for (int k = 0; k < folds; k++) {
            int fold = k;
            List<TransformRecipe.Sample> training = photos.stream()
                    .filter(p -> foldOf.get(p.identity()) != fold && sampleOf.containsKey(p.file()))
                    .filter(p -> p.fgnet() ? s.fgnetTraining() : s.lagTraining())
                    .map(p -> sampleOf.get(p.file())).toList();
            EmbeddingTransform t = s.recipe().learned() ? s.recipe().fit(training, childMax, adultMin, "scale", embedderId) : null;
            Map<Path, float[]> memo = new HashMap<>();
            Function<Path, float[]> vec = file -> memo.computeIfAbsent(file, f -> {
                TransformRecipe.Sample x = sampleOf.get(f);
                if (x == null) {
                    return null;
                }
                if (s.adapted() != null) {
                    return Similarity.normalised(s.adapted().get(fold).get(f));
                }
                float[] in = x.input(s.recipe().flip());
                return Similarity.normalised(t == null ? in : t.apply(in));
            });
            List<Photo> inFold = photos.stream().filter(p -> foldOf.get(p.identity()) == fold).toList();
            Map<String, List<Photo>> caseFaces = new LinkedHashMap<>();
            for (Photo p : inFold) {
                if (p.age() <= childMax && (p.fgnet() || !fgnetCasesOnly) && caseFilter.test(p)) {
                    caseFaces.computeIfAbsent(p.identity(), x -> new ArrayList<>()).add(p);
                }
            }
            cases += caseFaces.size();
            List<Photo> probes = inFold.stream().filter(p -> p.age() >= adultMin && caseFaces.containsKey(p.identity())).toList();
            Map<Path, Double> offset = cohortOffsets(s.cohort(), photos, foldOf, fold, adultMin, caseFaces, vec, drawn);
            PairScore pair = (probeFile, q, caseFile, v) -> dot(q, v) - offset.get(caseFile);
            if (s.fusion() != null) {
                Function<Path, float[]> second = second(s, vec);
                pair = fused(s.fusion().weight(), pair, second,
                        cohortOffsets(s.cohort(), photos, foldOf, fold, adultMin, caseFaces, second, null));
            }
            for (Photo probe : probes) {
                float[] q = vec.apply(probe.file());
                int rank = 0;
                if (q != null) {
                    Map<String, List<CaseRanker.FaceScore>> scores = new LinkedHashMap<>();
                    for (Map.Entry<String, List<Photo>> c : caseFaces.entrySet()) {
                        List<CaseRanker.FaceScore> f = new ArrayList<>();
                        for (Photo p : c.getValue()) {
                            float[] v = vec.apply(p.file());
                            if (v != null) {
                                f.add(new CaseRanker.FaceScore(pair.score(probe.file(), q, p.file(), v), EmbeddingKind.ORIGINAL,
                                        p.fgnet() ? (float) p.age() : null));
                            }
                            for (ScaleProjections.Ref r : drawn == null ? List.<ScaleProjections.Ref>of() : drawn.of(p.file())) {
                                float[] w = vec.apply(r.key());
                                if (w != null) {
                                    f.add(new CaseRanker.FaceScore(pair.score(probe.file(), q, r.key(), w), EmbeddingKind.PROJECTION,
                                            (float) r.age()));
                                }
                            }
                        }
                        if (!f.isEmpty()) {
                            scores.put(c.getKey(), f);
                        }
                    }
                    List<CaseRanker.RankedCase<String>> ranking = ranker.rank(scores, probeAges.get(probe.file()));
                    rank = CaseRanker.pessimisticRank(ranking, probe.identity());
                    if (trials != null) {
                        ranking.forEach(r -> trials.add(new CalibrationTrials.Trial(probe.file(), probe.identity(), r.caseId(),
                                r.score())));
                    }
                }
                (probe.fgnet() ? fgnetRanks : lagRanks).add(rank);
                if (probe.fgnet()) {
                    gaps.add(new Gap(rank, probe.age() - caseFaces.get(probe.identity()).stream()
                            .filter(p -> vec.apply(p.file()) != null).mapToDouble(Photo::age).max().orElse(Double.NaN)));
                }
            }
            // child-to-adult verification: fgnet-dev childhood photos against every adult photo of the fold
            List<Photo> adults = inFold.stream().filter(p -> p.age() >= adultMin).toList();
            for (List<Photo> list : caseFaces.values()) {
                for (Photo c : list) {
                    if (!c.fgnet()) {
                        continue;
                    }
                    float[] v = vec.apply(c.file());
                    for (Photo a : adults) {
                        float[] w = vec.apply(a.file());
                        double score = v == null || w == null ? -1e9 : pair.score(a.file(), w, c.file(), v);
                        (a.identity().equals(c.identity()) ? genuine : impostor).add(score);
                    }
                }
            }
        }
        double[] g = genuine.stream().mapToDouble(Double::doubleValue).toArray();
        double[] i = impostor.stream().mapToDouble(Double::doubleValue).toArray();
        return new Row(s, Metrics.ranks(fgnetRanks.stream().mapToInt(Integer::intValue).toArray()),
                Metrics.ranks(lagRanks.stream().mapToInt(Integer::intValue).toArray()), Metrics.auc(g, i),
                Metrics.tarAtFar(g, i, 1e-2), Metrics.tarAtFar(g, i, 1e-3), cases, gaps, null);
    }

    /** A probe face against a case face, given both vectors of the setting. */
    private interface PairScore {
        double score(Path probe, float[] q, Path caseFace, float[] v);
    }

    /**
     * What the cohort rule subtracts from each case face's score: the mean of its top similarities to the cohort, the
     * other folds' lag-train adults (0 without a cohort). The app's own normalisation (matching.ScoreCohort), so the
     * protocol measures what searches compute.
     */
    private static Map<Path, Double> cohortOffsets(Cohort rule, List<Photo> photos, Map<String, Integer> foldOf, int fold,
            double adultMin, Map<String, List<Photo>> caseFaces, Function<Path, float[]> vec, ScaleProjections drawn) {
        List<float[]> cohort = !rule.on() ? List.of() : photos.stream()
                .filter(p -> !p.fgnet() && p.age() >= adultMin && foldOf.get(p.identity()) != fold)
                .map(p -> vec.apply(p.file())).filter(v -> v != null).toList();
        if (rule.centroids() > 0) {
            cohort = KMeans.centroids(cohort, rule.centroids(), 1);
        }
        ScoreCohort norm = cohort.isEmpty() ? null : new ScoreCohort(cohort.toArray(float[][]::new), Math.min(rule.top(), cohort.size()));
        Map<Path, Double> offset = new HashMap<>();
        for (List<Photo> list : caseFaces.values()) {
            for (Photo p : list) {
                List<Path> keys = new ArrayList<>();
                keys.add(p.file());
                if (drawn != null) {
                    drawn.of(p.file()).forEach(r -> keys.add(r.key()));
                }
                for (Path key : keys) {
                    float[] v = vec.apply(key);
                    if (v != null) {
                        offset.put(key, norm == null ? 0.0 : norm.mean(v));
                    }
                }
            }
        }
        return offset;
    }

    /** The second model's unit vector of a photo, where the setting's own model found a usable face (both see the same photos). */
    private static Function<Path, float[]> second(Setting s, Function<Path, float[]> vec) {
        Map<Path, float[]> memo = new HashMap<>();
        return file -> vec.apply(file) == null ? null
                : memo.computeIfAbsent(file, x -> Similarity.normalised(s.fusion().vectors().get(x)));
    }

    /** The setting's score fused with the second model's, each less its own cohort offset. */
    private static PairScore fused(double w, PairScore first, Function<Path, float[]> second, Map<Path, Double> offset2) {
        return (probe, q, caseFace, v) -> (1 - w) * first.score(probe, q, caseFace, v)
                + w * (dot(second.apply(probe), second.apply(caseFace)) - offset2.get(caseFace));
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
