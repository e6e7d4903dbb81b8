package org.homeward.tools.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.homeward.faces.ModelBundle;
import org.homeward.faces.QualityGate;
import org.homeward.matching.CaseRanker;
import org.homeward.models.EmbeddingTransform;
import org.homeward.models.ModelUnavailable;
import org.homeward.models.ModelsConfig;
import org.homeward.tools.Command;

/**
 * {@code deploy/homeward eval}: the accuracy of the app's own pipeline and ranking on labelled photos, with no
 * database and no Keycloak (docs/accuracy.md).
 * <ul>
 * <li>{@code eval tracing --manifest M.csv [--distractors D.csv] [--child-max-age 12] [--adult-min-age 18] [--out DIR]}:
 * childhood photos form cases, adult photos search them; rank-1/5/10, MRR, photos with no face.</li>
 * <li>{@code eval pairs --pairs P.txt --images-root R [--out DIR]}: LFW-format pairs; 10-fold accuracy, AUC,
 * TAR at FAR 1e-2 and 1e-3. With {@code --manifest M.csv} instead of {@code --images-root}, a pair's
 * {@code name i} is the i-th photo of identity {@code name} in M.csv (for data not laid out as LFW).</li>
 * <li>{@code eval make-pairs} writes such lists; {@code eval cv} cross-validates embedding transforms by identity.</li>
 * <li>{@code eval calibrate --manifest M.csv [--transform PKG_DIR] --out PACKAGE_DIR}: fits the likelihood-ratio
 * calibration of a search model's case scores and writes it as a package (docs/evidence.md).</li>
 * </ul>
 * The last line on stdout is one JSON object; progress and errors go to stderr; a bad input exits with 2.
 */
public final class EvalCommand implements Command {

    static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;
    private final PrintStream err;

    public EvalCommand() {
        this(System.out, System.err);
    }

    public EvalCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public String usage() {
        return "eval tracing --manifest M.csv [--distractors D.csv [--distractor-group young]] [--child-max-age 12] [--adult-min-age 18] [--out DIR]\n"
                + "  eval tracing --projections --manifest FGNET.csv [--folds 5] [--appearance W] [--projection-ages 10,15,...]"
                + "   the same with age projections, cross-validated by identity (docs/projections.md)\n"
                + "  eval pairs --pairs P.txt (--images-root R | --manifest M.csv) [--out DIR]\n"
                + "  eval make-pairs --manifest M.csv [--kind child-adult|all] [--child-max-age 12] [--adult-min-age 18]"
                + " [--seed 1] [--output P.txt]\n"
                + "  eval cv --manifest M.csv [--pairs P.txt] [--child-max-age 12] [--adult-min-age 18] [--write-transform DIR]\n"
                + "  eval scale --manifest FGNET.csv --distractors LAG.csv [--folds 2] [--seed 1] [--no-distractors]"
                + " [--write-transform DIR [--write-calibration DIR]] [--lfw-pairs P.txt --lfw-images R] [--export F.jsonl]"
                + " [--vectors V.jsonl] [--fuse V.jsonl [--fuse-weights 0.3,0.5]]"
                + "   the protocol at scale, folds by identity (docs/accuracy.md)\n"
                + "  eval calibrate --manifest M.csv [--transform PKG_DIR] --out PACKAGE_DIR   evidence calibration (docs/evidence.md)\n"
                + "  common: [--models DIR] [--cache DIR | --no-cache] [--device cpu|gpu|auto] [--transform PKG_DIR] [--flip]"
                + " [--aggregation max|top2-mean|soft-max:T]   accuracy of the pipeline and ranking (docs/accuracy.md)\n"
                + "  tracing and pairs measure the app's default search model (the bundle's transform and flip);\n"
                + "  --raw measures the embedder's raw vectors, --transform PKG_DIR another transform package";
    }

    @Override
    public int run(List<String> args) throws Exception {
        if (args.isEmpty()) {
            err.println("usage: deploy/homeward " + usage());
            return 2;
        }
        if (args.contains("-h") || args.contains("--help")) { // `eval tracing --help` as well as `eval --help`
            out.println("usage: deploy/homeward " + usage());
            return 0;
        }
        try {
            Options o = Options.parse(args);
            return switch (args.get(0)) {
                case "tracing" -> tracing(o);
                case "pairs" -> pairs(o);
                case "make-pairs" -> MakePairs.run(o, out);
                case "cv" -> new CrossValidation(o, out, err).run();
                case "scale" -> new ScaleProtocol(o, out).run();
                case "calibrate" -> new Calibrate(o, out).run();
                default -> throw new EvalInputError("unknown protocol '" + args.get(0)
                        + "' (tracing, pairs, make-pairs, cv or calibrate)");
            };
        } catch (EvalInputError e) {
            err.println("error: " + e.getMessage());
            err.println("usage: deploy/homeward " + usage());
            return 2;
        } catch (ModelUnavailable e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    // ------------------------------------------------------------------ options

    /** Options as --name value pairs and a few flags; anything else is an error naming it. */
    static final class Options {
        private static final List<String> FLAGS = List.of("--no-cache", "--flip", "--projections", "--raw",
                "--no-distractors");
        private static final List<String> VALUED = List.of("--manifest", "--distractors", "--distractor-group",
                "--cohort", "--cohort-group", "--cohort-norm", "--cohort-top", "--child-max-age", "--adult-min-age",
                "--out", "--pairs", "--images-root", "--models", "--cache", "--device", "--transform", "--aggregation",
                "--kind", "--seed", "--output", "--write-transform", "--folds", "--appearance", "--projection-ages",
                "--export", "--vectors", "--fuse", "--fuse-weights", "--write-calibration", "--max-yaw",
                "--lfw-pairs", "--lfw-images");
        final Map<String, String> values = new LinkedHashMap<>();
        final List<String> flags = new ArrayList<>();
        final List<String> raw;

        private Options(List<String> raw) {
            this.raw = raw;
        }

        /** The options after the protocol's name; {@code raw} keeps the whole command line for the report. */
        static Options parse(List<String> all) {
            List<String> args = all.subList(1, all.size());
            Options o = new Options(all);
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                if (FLAGS.contains(a)) {
                    o.flags.add(a);
                } else if (VALUED.contains(a)) {
                    if (i + 1 >= args.size()) {
                        throw new EvalInputError("option " + a + " needs a value");
                    }
                    o.values.put(a, args.get(++i));
                } else {
                    throw new EvalInputError("unknown option '" + a + "'");
                }
            }
            return o;
        }

        String get(String name) {
            return values.get(name);
        }

        String required(String name, String what) {
            String v = values.get(name);
            if (v == null) {
                throw new EvalInputError(name + " is required (" + what + ")");
            }
            return v;
        }

        boolean flag(String name) {
            return flags.contains(name);
        }

        double years(String name, double fallback) {
            String v = values.get(name);
            if (v == null) {
                return fallback;
            }
            try {
                double d = Double.parseDouble(v);
                if (d < 0 || d > Manifest.MAX_AGE) {
                    throw new NumberFormatException();
                }
                return d;
            } catch (NumberFormatException e) {
                throw new EvalInputError(name + " needs an age in years from 0 to " + (int) Manifest.MAX_AGE + ", not '" + v + "'");
            }
        }

        double number(String name, double min, double max) {
            String v = values.get(name);
            try {
                double d = Double.parseDouble(v);
                if (d >= min && d <= max) {
                    return d;
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            throw new EvalInputError(name + " needs a number from " + min + " to " + max + ", not '" + v + "'");
        }

        long integer(String name, long fallback) {
            String v = values.get(name);
            if (v == null) {
                return fallback;
            }
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new EvalInputError(name + " needs a whole number, not '" + v + "'");
            }
        }

        Path path(String name) {
            String v = values.get(name);
            return v == null ? null : Path.of(v);
        }

        ModelsConfig.Device device() {
            String v = values.getOrDefault("--device", "auto");
            try {
                return ModelsConfig.Device.valueOf(v);
            } catch (IllegalArgumentException e) {
                throw new EvalInputError("--device must be cpu, gpu or auto, not '" + v + "'");
            }
        }

        CaseRanker ranker() {
            String v = values.get("--aggregation");
            if (v == null) {
                return CaseRanker.DEFAULT;
            }
            CaseRanker.Policy p = CaseRanker.Policy.DEFAULT;
            if (v.equals("max")) {
                return new CaseRanker(p.withAggregation(CaseRanker.Aggregation.MAX, p.temperature()));
            }
            if (v.equals("top2-mean")) {
                return new CaseRanker(p.withAggregation(CaseRanker.Aggregation.TOP2_MEAN, p.temperature()));
            }
            if (v.startsWith("soft-max")) {
                double t = p.temperature();
                if (v.startsWith("soft-max:")) {
                    try {
                        t = Double.parseDouble(v.substring("soft-max:".length()));
                    } catch (NumberFormatException e) {
                        t = -1;
                    }
                }
                if (t > 0) {
                    return new CaseRanker(p.withAggregation(CaseRanker.Aggregation.SOFT_MAX, t));
                }
            }
            throw new EvalInputError("--aggregation must be max, top2-mean or soft-max:T (T > 0), not '" + v + "'");
        }

        /** The model bundle: --models, else $HOMEWARD_MODELS or the default folder. */
        Path modelsDir() {
            return values.containsKey("--models") ? Path.of(values.get("--models")) : PhotoEmbeddings.defaultModelsDir();
        }

        PhotoEmbeddings embeddings() {
            Path models = modelsDir();
            Path cache = flag("--no-cache") ? null
                    : values.containsKey("--cache") ? Path.of(values.get("--cache")) : PhotoEmbeddings.defaultCacheRoot();
            QualityGate.Rules d = QualityGate.Rules.DEFAULTS;
            double yaw = values.containsKey("--max-yaw") ? number("--max-yaw", 0.05, 2) : d.maxYaw();
            return new PhotoEmbeddings(models, cache, device(), new QualityGate.Rules(d.minInterOcular(), d.minSharpness(), yaw));
        }

        /**
         * The model tracing and pairs measure: what the app searches with by default (the bundle's transform, with
         * its flip), unless --raw asks for the embedder's raw vectors or --transform names another package.
         */
        EmbeddingTransform searchTransform() {
            if (flag("--raw")) {
                if (values.containsKey("--transform")) {
                    throw new EvalInputError("--raw and --transform contradict each other: choose one");
                }
                return null;
            }
            if (values.containsKey("--transform")) {
                return transform();
            }
            Path installed = modelsDir().resolve(ModelBundle.TRANSFORM);
            return Files.isDirectory(installed) ? EmbeddingTransform.open(installed) : null;
        }

        EmbeddingTransform transform() {
            Path dir = path("--transform");
            if (dir == null) {
                return null;
            }
            if (!Files.isDirectory(dir)) {
                throw new EvalInputError("--transform " + dir + " is not a model package folder");
            }
            return EmbeddingTransform.open(dir);
        }
    }

    /** A photo's searchable vector: the raw embedding, or flip-averaged, then the transform when there is one. */
    static Function<PhotoEmbeddings.Face, float[]> searchable(EmbeddingTransform transform, boolean flip) {
        return face -> {
            if (face == null || !face.found()) {
                return null;
            }
            float[] v = flip && face.flipped() != null ? EmbeddingTransform.flipAveraged(face.embedding(), face.flipped())
                    : face.embedding();
            return transform == null ? v : transform.apply(v);
        };
    }

    static String modelLabel(PhotoEmbeddings e, EmbeddingTransform t, boolean flip) {
        return (t == null ? e.modelId() : t.modelId()) + (flip && (t == null || !t.flipAverage()) ? "+flip" : "");
    }

    /** Appends every value of {@code v} to the JSON array: how the eval's files write a vector. */
    static void addFloats(ArrayNode into, float[] v) {
        for (float x : v) {
            into.add(x);
        }
    }

    static Double round(double v) {
        return Double.isNaN(v) ? null : Math.round(v * 10000) / 10000.0;
    }

    private static void put(ObjectNode n, String key, double v) {
        Double r = round(v);
        if (r == null) {
            n.putNull(key);
        } else {
            n.put(key, r);
        }
    }

    // ------------------------------------------------------------------ tracing

    private int tracing(Options o) throws IOException {
        if (o.flag("--projections")) {
            return new ProjectionTracing(o, out, err).run();
        }
        Path manifestFile = Path.of(o.required("--manifest", "the CSV of photos: path,identity,age"));
        double childMax = o.years("--child-max-age", 12);
        double adultMin = o.years("--adult-min-age", 18);
        Manifest manifest = Manifest.read(manifestFile, true);
        Manifest distractors = o.get("--distractors") == null ? null
                : Manifest.read(o.path("--distractors"), false, o.get("--distractor-group"));
        Tracing tracing = Tracing.of(manifest, distractors, childMax, adultMin);
        CaseRanker ranker = o.ranker();
        EmbeddingTransform transform = o.searchTransform();
        boolean flip = o.flag("--flip") || (transform != null && transform.flipAverage());
        Path outDir = prepareOut(o);

        Manifest cohort = o.get("--cohort") == null ? null : Manifest.read(o.path("--cohort"), false, o.get("--cohort-group"));
        long start = System.nanoTime();
        Map<Path, PhotoEmbeddings.Face> faces;
        String model;
        PhotoEmbeddings embeddings = o.embeddings();
        try (embeddings) {
            checkEmbedder(embeddings, transform);
            Set<Path> files = new LinkedHashSet<>(tracing.files());
            if (cohort != null) {
                cohort.photos().forEach(p -> files.add(p.file()));
            }
            faces = embeddings.embed(files, flip);
            model = modelLabel(embeddings, transform, flip);
        }
        Function<PhotoEmbeddings.Face, float[]> searchable = searchable(transform, flip);
        Map<Path, float[]> vectors = new LinkedHashMap<>();
        faces.forEach((file, face) -> vectors.put(file, searchable.apply(face)));

        Tracing.Scoring scoring;
        if (cohort != null) {
            CohortNorm.Mode mode = CohortNorm.Mode.valueOf(o.get("--cohort-norm") == null ? "mean" : o.get("--cohort-norm"));
            int top = o.get("--cohort-top") == null ? 100 : Integer.parseInt(o.get("--cohort-top"));
            List<Manifest.Photo> caseFaces = tracing.cases().values().stream().flatMap(List::stream).toList();
            CohortNorm norm = CohortNorm.of(mode, top, caseFaces, cohort.photos(), vectors::get);
            model = model + " +cohort-" + mode + "(top " + top + ", " + cohort.photos().size() + " faces)";
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

        ObjectNode json = JSON.createObjectNode();
        json.put("protocol", "tracing");
        json.put("model", model);
        json.put("cases", tracing.cases().size());
        json.put("probes", tracing.probes().size());
        put(json, "rank1", summary.rank1());
        put(json, "rank5", summary.rank5());
        put(json, "rank10", summary.rank10());
        put(json, "mrr", summary.mrr());
        json.put("no_face", noFace);
        if (outDir != null) {
            TracingReport.write(outDir, o, tracing, results, scoring, ranker, faces, embeddings, model, json,
                    childMax, adultMin, flip, transform);
            out.println("report: " + outDir.resolve("index.html"));
        }
        out.println(JSON.writeValueAsString(json));
        return 0;
    }

    // ------------------------------------------------------------------ pairs

    private int pairs(Options o) throws IOException {
        Path pairsFile = Path.of(o.required("--pairs", "the LFW-format pairs list"));
        Path root = o.path("--images-root");
        Path manifestFile = o.path("--manifest");
        if ((root == null) == (manifestFile == null)) {
            throw new EvalInputError("give exactly one of --images-root R (photos at R/name/name_%04d.jpg) and --manifest M.csv"
                    + " (name i = the i-th photo of identity name in M.csv)");
        }
        PairsList list = PairsList.read(pairsFile);
        Manifest manifest = manifestFile == null ? null : Manifest.read(manifestFile, false);
        List<Verification.ResolvedPair> pairs = manifest == null ? Verification.resolveLfw(list, root)
                : Verification.resolveManifest(list, manifest);
        EmbeddingTransform transform = o.searchTransform();
        boolean flip = o.flag("--flip") || (transform != null && transform.flipAverage());
        Path outDir = prepareOut(o);

        long start = System.nanoTime();
        Map<Path, PhotoEmbeddings.Face> faces;
        String model;
        PhotoEmbeddings embeddings = o.embeddings();
        try (embeddings) {
            checkEmbedder(embeddings, transform);
            faces = embeddings.embed(Verification.files(pairs), flip);
            model = modelLabel(embeddings, transform, flip);
        }
        Function<PhotoEmbeddings.Face, float[]> searchable = searchable(transform, flip);
        Map<Path, float[]> vectors = new LinkedHashMap<>();
        faces.forEach((file, face) -> vectors.put(file, searchable.apply(face)));
        double[] scores = Verification.scores(pairs, vectors::get);
        boolean[] same = Verification.same(pairs);
        Verification.Figures f = Verification.figures(scores, same, Verification.folds(pairs), list.folds());
        long noFace = Verification.noFace(pairs, faces);

        out.printf(Locale.ROOT, "pairs: %d (%d same, %d different) over %d photos, %d without a usable face; %s; model %s%n",
                f.pairs(), f.same(), f.different(), faces.size(), noFace, list.foldsFrom(), model);
        out.printf(Locale.ROOT, "accuracy %.4f +- %.4f  AUC %.4f  TAR@FAR=1e-2 %.4f  TAR@FAR=1e-3 %.4f  (%.1f s; %d photos from the"
                + " cache, %d embedded)%n", f.accuracy(), f.accuracyStd(), f.auc(), f.tarAtFar1e2(), f.tarAtFar1e3(),
                (System.nanoTime() - start) / 1e9, embeddings.fromCache(), embeddings.computed());

        ObjectNode json = JSON.createObjectNode();
        json.put("protocol", "pairs");
        json.put("model", model);
        json.put("pairs", f.pairs());
        put(json, "accuracy", f.accuracy());
        put(json, "accuracy_std", f.accuracyStd());
        put(json, "auc", f.auc());
        put(json, "tar_at_far_1e-2", f.tarAtFar1e2());
        put(json, "tar_at_far_1e-3", f.tarAtFar1e3());
        json.put("no_face", noFace);
        if (outDir != null) {
            PairsReport.write(outDir, o, list, pairs, scores, f, faces, embeddings, model, json, flip, transform);
            out.println("report: " + outDir.resolve("index.html"));
        }
        out.println(JSON.writeValueAsString(json));
        return 0;
    }

    static void checkEmbedder(PhotoEmbeddings embeddings, EmbeddingTransform transform) {
        if (transform != null && !transform.embedderId().equals(embeddings.modelId())) {
            throw new EvalInputError("the transform " + transform.name() + " reads vectors of " + transform.embedderId()
                    + ", but the bundle's embedder is " + embeddings.modelId());
        }
    }

    private static Path prepareOut(Options o) {
        Path dir = o.path("--out");
        if (dir == null) {
            return null;
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new EvalInputError("--out " + dir + ": cannot create the folder (" + e.getMessage() + ")");
        }
        return dir;
    }

    /** The settings table every report shows. */
    static Map<String, Object> settings(Options o, PhotoEmbeddings e, String model, boolean flip, EmbeddingTransform t) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("model", model);
        s.put("embedder", e.modelId() + " (bundle " + e.modelsDir().toAbsolutePath() + ")");
        s.put("embedding transform", t == null ? "none (raw embedding, cosine similarity)" : t.toString());
        s.put("test-time flip", flip ? "yes: mean of the face's and its mirrored chip's unit vectors" : "no");
        s.put("pipeline", "the app's FacePipeline: ImageDecoder, detect, 5 landmarks, align, quality gate, embed, age");
        s.put("pipeline settings", e.settings());
        s.put("cache", e.cacheDir() == null ? "off" : e.cacheDir() + " (" + e.fromCache() + " photos read, "
                + e.computed() + " embedded this run)");
        s.put("command", "deploy/homeward eval " + String.join(" ", o.raw));
        s.put("run at", OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString());
        return s;
    }

    static void writeJson(Path file, Object value) {
        try {
            Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
