package org.homeward.tools.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.homeward.faces.ModelBundle;
import org.homeward.faces.index.EmbeddingKind;
import org.homeward.faces.pipeline.FacePipeline;
import org.homeward.faces.pipeline.FoundFace;
import org.homeward.faces.pipeline.QualityGate;
import org.homeward.matching.CaseRanker;
import org.homeward.models.AgeEstimator;
import org.homeward.models.EmbeddingTransform;
import org.homeward.models.Landmarks;
import org.homeward.models.Similarity;
import org.homeward.photos.ImageDecoder;
import org.homeward.projections.ProjectionVectors;
import org.homeward.projections.ageing.AgeProjector;
import org.homeward.projections.ageing.PrototypeProjector;
import org.homeward.projections.imaging.ProjectionFrame;
import org.homeward.tools.Main;
import org.homeward.tools.projections.AnnotatedPhoto;
import org.homeward.tools.projections.ProjectionsCommand;
import org.homeward.tools.projections.PrototypeBuilder;

/**
 * {@code eval tracing --projections}: does searching a case's age projections beside its photos find the adult
 * more often? Cross-validated by identity in k folds: each case's photos are projected with age prototypes built
 * without its person's fold, to the same ages for every case (every 5 years from 10 to 50, above the photo's age;
 * no case knows the probe's age); each probe is searched through the embedding transform
 * ({@link CrossValidation#KEPT}) fitted without its fold, and ranked with {@link CaseRanker} under several rules
 * for projections. Models: the raw embedding, and the transform. The probe's age is the age estimator's, as in
 * the app.
 */
final class ProjectionTracing {

    /** Bumped when the projector changes, so cached projection vectors are never reused across versions. */
    static final int CACHE_VERSION = 4;

    /** A rule for projections, compared on each model. */
    record Variant(String label, CaseRanker ranker) {
    }

    /** A case photo's projection: the age it shows and its vectors. */
    record Projected(double age, ProjectionVectors.Vectors vectors) {
    }

    /** One model's way from a photo's raw vectors to the compared vector. */
    record Model(String label, boolean transformed) {
    }

    private final TracingCommand o;
    private final PrintStream out;
    private final PrintStream err;

    ProjectionTracing(TracingCommand o, PrintStream out, PrintStream err) {
        this.o = o;
        this.out = out;
        this.err = err;
    }

    static List<Variant> variants() {
        CaseRanker.Policy p = CaseRanker.Policy.DEFAULT;
        double inf = Double.POSITIVE_INFINITY;
        return List.of(
                new Variant("none (originals only)", new CaseRanker(p.withProjections(inf, 0))),
                new Variant("all ages, weight 1", new CaseRanker(p.withProjections(inf, 1))),
                new Variant("all ages, weight 0.5", new CaseRanker(p.withProjections(inf, 0.5))),
                new Variant("all ages, weight 0.25", new CaseRanker(p.withProjections(inf, 0.25))),
                new Variant("within 10 years, weight 1", new CaseRanker(p.withProjections(10, 1))),
                new Variant("within 5 years, weight 1", new CaseRanker(p.withProjections(5, 1))),
                new Variant("within 5 years, weight 0.5", new CaseRanker(p.withProjections(5, 0.5))));
    }

    int run() throws IOException {
        Path csv = o.manifest;
        double childMax = o.ages.childMax();
        double adultMin = o.ages.adultMin();
        int folds = Main.within("--folds", o.folds, 2, Integer.MAX_VALUE);
        List<Double> appearances = o.appearances;
        appearances.forEach(w -> Main.within("--appearance", w, 0, 2));
        List<Double> ages = o.projectionAges;
        ages.forEach(a -> Main.within("--projection-ages", a, 0, 100));
        Manifest manifest = Manifest.read(csv, true);
        Tracing tracing = Tracing.of(manifest, null, childMax, adultMin);
        List<AnnotatedPhoto> annotated;
        try {
            annotated = AnnotatedPhoto.readCsv(csv);
        } catch (IllegalArgumentException e) {
            throw new EvalInputError(e.getMessage());
        }
        long start = System.nanoTime();

        Map<Path, PhotoEmbeddings.Face> faces;
        PhotoEmbeddings embeddings = o.embedding.open();
        String embedderId;
        try (embeddings) {
            faces = embeddings.embed(manifest.photos().stream().map(Manifest.Photo::file).toList(), true);
            embedderId = embeddings.modelId();
        }
        Map<Path, TransformRecipe.Sample> sampleOf = TransformRecipe.Sample.of(manifest, faces);
        List<TransformRecipe.Sample> samples = new ArrayList<>(sampleOf.values());
        List<String> people = new ArrayList<>(new TreeSet<>(tracing.cases().keySet()));
        Map<String, Integer> foldOf = new HashMap<>();
        for (int i = 0; i < people.size(); i++) {
            foldOf.put(people.get(i), i % folds);
        }
        Path cache = embeddings.cacheDir() == null ? null
                : embeddings.cacheDir().getParent().getParent().resolve("projections").resolve(embeddings.settingsDigest());

        List<Model> models = List.of(new Model(embedderId, false), new Model(embedderId + "+" + "cv-transform ("
                + CrossValidation.KEPT.label() + ")", true));
        List<Variant> variants = variants();
        Map<String, List<Tracing.ProbeResult>> results = new LinkedHashMap<>();
        int projectedPhotos = 0;
        int projectionCount = 0;
        Double ageError = null;
        try (ModelBundle bundle = new ModelBundle(embeddings.modelsDir(), o.embedding.device, PhotoEmbeddings.DETECTOR_MAX_SIDE)) {
            AgeEstimator estimator = bundle.ageEstimator().orElse(null);
            if (estimator != null) {
                ageError = tracing.probes().stream().filter(p -> faces.get(p.photo().file()).found())
                        .mapToDouble(p -> Math.abs(estimator.estimate(faces.get(p.photo().file()).embedding()).years() - p.photo().age()))
                        .average().orElse(Double.NaN);
            }
            Map<Path, Landmarks> landmarks = landmarks(bundle, tracing, faces, embeddings, cache);
            // Each probe is then searched through the transform fitted without its fold.
            Map<Double, Map<Path, List<Projected>>> projections = projectByFold(folds, people, foldOf, annotated, appearances,
                    bundle, tracing, landmarks, faces, ages, cache, csv);
            Map<Path, List<Projected>> first = projections.values().iterator().next();
            projectedPhotos = first.size();
            projectionCount = first.values().stream().mapToInt(List::size).sum();
            for (int k = 0; k < folds; k++) {
                int fold = k;
                Set<String> excluded = people.stream().filter(p -> foldOf.get(p) == fold).collect(Collectors.toSet());
                List<Tracing.Probe> probes = tracing.probes().stream().filter(p -> excluded.contains(p.caseId())).toList();
                EmbeddingTransform transform = CrossValidation.KEPT.fit(samples.stream()
                        .filter(s -> !excluded.contains(s.identity())).toList(), childMax, adultMin, "cv", embedderId);
                for (double appearance : appearances) {
                    for (Model m : models) {
                        EmbeddingTransform t = m.transformed() ? transform : null;
                        Tracing.Scoring scoring = scoring(faces, t, projections.get(appearance), estimator);
                        for (Variant v : variants) {
                            if (v.ranker().policy().projectionWeight() == 0 && appearance != appearances.get(0)) {
                                continue; // originals only: the same for every appearance weight
                            }
                            String a = v.ranker().policy().projectionWeight() == 0 ? "-" : fmt(appearance);
                            results.computeIfAbsent(m.label() + "\t" + a + "\t" + v.label(), x -> new ArrayList<>())
                                    .addAll(tracing.runScored(probes, probe -> scoring, v.ranker(), p -> true));
                        }
                    }
                }
            }
        }

        report(results, tracing, variants, appearances, ages, folds, projectedPhotos, projectionCount, ageError, start);
        return 0;
    }

    /**
     * Each case projected once, with prototypes built without its person's fold, per appearance weight. A probe's own
     * case never saw the probe's person; another case's prototypes may include the probe's photos, which can only make
     * that case look more like the probe.
     */
    private Map<Double, Map<Path, List<Projected>>> projectByFold(int folds, List<String> people, Map<String, Integer> foldOf,
            List<AnnotatedPhoto> annotated, List<Double> appearances, ModelBundle bundle, Tracing tracing,
            Map<Path, Landmarks> landmarks, Map<Path, PhotoEmbeddings.Face> faces, List<Double> ages, Path cache, Path csv)
            throws IOException {
        Map<Double, Map<Path, List<Projected>>> projections = new LinkedHashMap<>();
        for (int k = 0; k < folds; k++) {
            int fold = k;
            Set<String> excluded = people.stream().filter(p -> foldOf.get(p) == fold).collect(Collectors.toSet());
            List<AnnotatedPhoto> training = annotated.stream().filter(a -> !excluded.contains(a.identity()))
                    .sorted((a, b) -> a.image().compareTo(b.image())).toList();
            err.printf(Locale.ROOT, "[eval] fold %d/%d: projecting the cases of %d people with prototypes from %d photos of"
                    + " the others%n", k + 1, folds, excluded.size(), training.size());
            PrototypeProjector prototypes = new PrototypeProjector(
                    PrototypeBuilder.build(training, ProjectionFrame.DEFAULT, PrototypeBuilder.Rules.DEFAULT), "cv", "cv",
                    ProjectionsCommand.DEFAULT_WEIGHTS);
            for (double appearance : appearances) {
                projections.computeIfAbsent(appearance, a -> new LinkedHashMap<>()).putAll(project(
                        prototypes.withAppearance(appearance), bundle, tracing, landmarks, faces, ages, excluded, appearance,
                        cache, csv));
            }
        }
        return projections;
    }

    /** Prints the table of every model, appearance and projection rule, and the JSON line. */
    private void report(Map<String, List<Tracing.ProbeResult>> results, Tracing tracing, List<Variant> variants,
            List<Double> appearances, List<Double> ages, int folds, int projectedPhotos, int projectionCount,
            Double ageError, long start) throws IOException {
        if (ageError != null) {
            out.printf(Locale.ROOT, "probe ages as the age estimator gives them (mean absolute error on these probes: %.1f years;"
                    + " the estimator was trained on this data, so a new data set's windows will be less exact)%n", ageError);
        }
        out.printf(Locale.ROOT, "tracing with age projections, cross-validated by identity in %d folds: %d cases, %d probes;"
                + " %d case photos projected to %s (ages above the photo's; %d projections per fold); prototypes %s; ranking %s;"
                + " %.1f s%n", folds, tracing.cases().size(), tracing.probes().size(), projectedPhotos, ages, projectionCount,
                PrototypeProjector.METHOD, CaseRanker.DEFAULT.policy(), (System.nanoTime() - start) / 1e9);
        out.printf(Locale.ROOT, "%-66s %-10s %-28s %7s %7s %7s %7s %6s %6s%n", "model", "appearance", "projections", "rank-1",
                "rank-5", "rank-10", "MRR", "better", "worse");
        ObjectNode json = EvalCommand.JSON.createObjectNode();
        json.put("protocol", "tracing-projections");
        json.put("folds", folds);
        ArrayNode weights = json.putArray("appearance_weights");
        appearances.forEach(weights::add);
        json.put("cases", tracing.cases().size());
        json.put("probes", tracing.probes().size());
        ArrayNode rows = json.putArray("rows");
        for (Map.Entry<String, List<Tracing.ProbeResult>> e : results.entrySet()) {
            String[] key = e.getKey().split("\t");
            Metrics.RankSummary s = Metrics.ranks(Tracing.ranks(e.getValue()));
            int[] change = changes(results.get(key[0] + "\t-\t" + variants.get(0).label()), e.getValue());
            out.printf(Locale.ROOT, "%-66s %-10s %-28s %7.4f %7.4f %7.4f %7.4f %6d %6d%n", key[0], key[1], key[2], s.rank1(),
                    s.rank5(), s.rank10(), s.mrr(), change[0], change[1]);
            rows.addObject().put("model", key[0]).put("appearance", key[1]).put("projections", key[2]).put("probes", s.probes())
                    .put("better", change[0]).put("worse", change[1])
                    .put("rank1", EvalCommand.round(s.rank1())).put("rank5", EvalCommand.round(s.rank5()))
                    .put("rank10", EvalCommand.round(s.rank10())).put("mrr", EvalCommand.round(s.mrr()));
        }
        out.println(EvalCommand.JSON.writeValueAsString(json));
    }

    private static Tracing.Scoring scoring(Map<Path, PhotoEmbeddings.Face> faces, EmbeddingTransform t,
            Map<Path, List<Projected>> projections, AgeEstimator estimator) {
        Map<Path, float[]> memo = new HashMap<>();
        Map<Projected, float[]> searchable = new IdentityHashMap<>();
        return new Tracing.Scoring() {
            @Override
            public float[] vector(Path file) {
                return memo.computeIfAbsent(file, f -> {
                    PhotoEmbeddings.Face face = faces.get(f);
                    return face == null || !face.found() ? null
                            : ProjectionVectors.searchable(new ProjectionVectors.Vectors(face.embedding(), face.flipped()), t);
                });
            }

            @Override
            public List<CaseRanker.FaceScore> projections(Manifest.Photo caseFace, float[] probe) {
                List<CaseRanker.FaceScore> out = new ArrayList<>();
                for (Projected p : projections.getOrDefault(caseFace.file(), List.of())) {
                    float[] v = searchable.computeIfAbsent(p, x -> ProjectionVectors.searchable(x.vectors(), t));
                    out.add(new CaseRanker.FaceScore(Similarity.cosine(probe, v), EmbeddingKind.PROJECTION, (float) p.age()));
                }
                return out;
            }

            @Override
            public Float probeAge(Tracing.Probe probe) {
                PhotoEmbeddings.Face face = faces.get(probe.photo().file());
                return estimator == null || face == null || !face.found() ? null : estimator.estimate(face.embedding()).years();
            }
        };
    }

    /** The landmarks of each case photo's searched face (the pipeline's first usable face), cached on disk. */
    private Map<Path, Landmarks> landmarks(ModelBundle bundle, Tracing tracing, Map<Path, PhotoEmbeddings.Face> faces,
            PhotoEmbeddings embeddings, Path cache) throws IOException {
        Path file = cache == null ? null : cache.resolve("landmarks.json");
        ObjectNode stored = file != null && Files.isRegularFile(file) ? (ObjectNode) EvalCommand.JSON.readTree(file.toFile())
                : EvalCommand.JSON.createObjectNode();
        FacePipeline pipeline = new FacePipeline(bundle, new QualityGate(embeddings.rules()), FacePipeline.StepTimer.NONE);
        Map<Path, Landmarks> out = new HashMap<>();
        boolean changed = false;
        for (List<Manifest.Photo> photos : tracing.cases().values()) {
            for (Manifest.Photo p : photos) {
                PhotoEmbeddings.Face face = faces.get(p.file());
                if (face == null || !face.found()) {
                    continue;
                }
                JsonNode n = stored.get(face.sha256());
                if (n == null) {
                    BufferedImage image = ImageDecoder.decode(Files.readAllBytes(p.file()), PhotoEmbeddings.MAX_PIXELS).rgb();
                    FoundFace found = pipeline.analyse(image).stream().filter(f -> f.embedding() != null).findFirst().orElse(null);
                    if (found == null) {
                        continue;
                    }
                    ArrayNode a = stored.putArray(face.sha256());
                    for (float v : found.landmarks().flat()) {
                        a.add(v);
                    }
                    n = a;
                    changed = true;
                    if (file != null && stored.size() % 20 == 0) {
                        write(file, stored);
                    }
                }
                out.put(p.file(), Landmarks.of(floats(n)));
            }
        }
        if (changed && file != null) {
            write(file, stored);
        }
        return out;
    }

    /** Every case photo with a face projected to the ages above its own, embedded; cached per fold and settings. */
    private Map<Path, List<Projected>> project(PrototypeProjector projector, ModelBundle bundle, Tracing tracing,
            Map<Path, Landmarks> landmarks, Map<Path, PhotoEmbeddings.Face> faces, List<Double> ages, Set<String> excluded,
            double appearance, Path cache, Path csv) throws IOException {
        String key = digest("v" + CACHE_VERSION + ";" + sha256(csv) + ";" + new TreeSet<>(excluded) + ";" + appearance + ";"
                + ages + ";" + projector.prototypes().groups().size() + ";" + projector.weights() + ";"
                + projector.prototypes().frame());
        Path file = cache == null ? null : cache.resolve("fold-" + key + ".json");
        ObjectNode stored = file != null && Files.isRegularFile(file) ? (ObjectNode) EvalCommand.JSON.readTree(file.toFile())
                : EvalCommand.JSON.createObjectNode();
        Map<Path, List<Projected>> out = new LinkedHashMap<>();
        boolean changed = false;
        int done = 0;
        int total = (int) tracing.cases().entrySet().stream().filter(c -> excluded.contains(c.getKey()))
                .flatMap(c -> c.getValue().stream()).filter(p -> landmarks.containsKey(p.file())).count();
        long start = System.nanoTime();
        for (Map.Entry<String, List<Manifest.Photo>> c : tracing.cases().entrySet()) {
            if (!excluded.contains(c.getKey())) {
                continue;
            }
            for (Manifest.Photo p : c.getValue()) {
                Landmarks l = landmarks.get(p.file());
                if (l == null) {
                    continue;
                }
                List<Double> targets = ScaleProjections.targets(ages, p.age());
                if (targets.isEmpty()) {
                    continue;
                }
                String sha = faces.get(p.file()).sha256();
                JsonNode n = stored.get(sha);
                List<Projected> list = new ArrayList<>();
                if (n == null) {
                    BufferedImage image = ImageDecoder.decode(Files.readAllBytes(p.file()), PhotoEmbeddings.MAX_PIXELS).rgb();
                    List<AgeProjector.Rendered> rendered = projector.project(image, l, p.age(), targets);
                    List<ProjectionVectors.Vectors> vectors = ProjectionVectors.embed(bundle.embedder(), rendered);
                    ArrayNode a = stored.putArray(sha);
                    for (int i = 0; i < rendered.size(); i++) {
                        list.add(new Projected(rendered.get(i).targetAge(), vectors.get(i)));
                        ObjectNode e = a.addObject();
                        e.put("age", rendered.get(i).targetAge());
                        EvalCommand.addFloats(e.putArray("raw"), vectors.get(i).raw());
                        EvalCommand.addFloats(e.putArray("mirrored"), vectors.get(i).mirrored());
                    }
                    changed = true;
                } else {
                    for (JsonNode e : n) {
                        list.add(new Projected(e.get("age").asDouble(), new ProjectionVectors.Vectors(floats(e.get("raw")),
                                floats(e.get("mirrored")))));
                    }
                }
                out.put(p.file(), list);
                done++;
                if (n == null && done % 10 == 0) {
                    err.printf(Locale.ROOT, "[eval] projected %d / %d case photos (%s)%n", done, total,
                            Progress.duration((System.nanoTime() - start) / 1e9));
                }
            }
        }
        if (changed && file != null) {
            write(file, stored);
        }
        return out;
    }

    /**
     * Paired with the originals-only ranking of the same model: how many probes' true case rose, and how many
     * fell (a miss counts as the lowest rank).
     */
    static int[] changes(List<Tracing.ProbeResult> base, List<Tracing.ProbeResult> with) {
        Map<Tracing.Probe, Integer> before = new HashMap<>();
        base.forEach(r -> before.put(r.probe(), r.rank() == 0 ? Integer.MAX_VALUE : r.rank()));
        int better = 0;
        int worse = 0;
        for (Tracing.ProbeResult r : with) {
            int now = r.rank() == 0 ? Integer.MAX_VALUE : r.rank();
            int was = before.getOrDefault(r.probe(), now);
            if (now < was) {
                better++;
            } else if (now > was) {
                worse++;
            }
        }
        return new int[] {better, worse};
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static float[] floats(JsonNode a) {
        float[] v = new float[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) a.get(i).asDouble();
        }
        return v;
    }

    private static void write(Path file, JsonNode n) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), ".projections", ".tmp");
        Files.writeString(tmp, EvalCommand.JSON.writeValueAsString(n), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String sha256(Path file) {
        return PhotoEmbeddings.sha256(file);
    }

    private static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
