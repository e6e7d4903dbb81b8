package org.homeward.tools.eval;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.homeward.models.Similarity;

/**
 * The pairs protocol: each pair's cosine similarity, then 10-fold accuracy (threshold chosen on the nine
 * other folds), AUC and TAR at FAR 1% and 0.1%. A pair with a photo where no usable face was found scores
 * {@link #NO_FACE_SCORE}, below every real score: the system cannot say "same", which counts against it on
 * a same pair and for it on a different pair, as in the LFW protocol where every pair must be answered.
 */
final class Verification {

    static final double NO_FACE_SCORE = -2.0;

    /** Where a pair's photo is, and its age when the photos come from a manifest. */
    record Resolved(Path file, String identity, Double age) {
    }

    /** A pair with its photos found on disk. */
    record ResolvedPair(PairsList.Pair pair, Resolved a, Resolved b) {
    }

    /** The verification figures of one set of scores. */
    record Figures(int pairs, int same, int different, double accuracy, double accuracyStd, double auc,
            double tarAtFar1e2, double tarAtFar1e3, Metrics.FoldAccuracy folds) {
    }

    private Verification() {
    }

    /** Photos at R/name/name_%04d.jpg, as LFW lays them out; a photo that is not there is an error naming the line. */
    static List<ResolvedPair> resolveLfw(PairsList list, Path root) {
        if (!Files.isDirectory(root)) {
            throw new EvalInputError("--images-root " + root + " is not a folder");
        }
        List<ResolvedPair> out = new ArrayList<>();
        for (PairsList.Pair p : list.pairs()) {
            out.add(new ResolvedPair(p, lfw(list, p, p.a(), root), lfw(list, p, p.b(), root)));
        }
        return out;
    }

    private static Resolved lfw(PairsList list, PairsList.Pair p, PairsList.Image image, Path root) {
        Path file = root.resolve(image.lfwPath());
        if (!Files.isRegularFile(file)) {
            throw EvalInputError.at(list.file(), p.line(), "missing file " + image.lfwPath() + " for '" + image.name() + " "
                    + image.number() + "' (looked for " + file.toAbsolutePath().normalize() + ")");
        }
        return new Resolved(file, image.name(), null);
    }

    /**
     * Photos named by a manifest: {@code name} is an identity of the manifest and {@code i} the i-th photo of
     * that identity in the manifest's order (from 1). This mode carries each photo's age into the report.
     */
    static List<ResolvedPair> resolveManifest(PairsList list, Manifest manifest) {
        List<ResolvedPair> out = new ArrayList<>();
        for (PairsList.Pair p : list.pairs()) {
            out.add(new ResolvedPair(p, fromManifest(list, p, p.a(), manifest), fromManifest(list, p, p.b(), manifest)));
        }
        return out;
    }

    private static Resolved fromManifest(PairsList list, PairsList.Pair p, PairsList.Image image, Manifest manifest) {
        List<Manifest.Photo> photos = manifest.byIdentity().get(image.name());
        if (photos == null) {
            throw EvalInputError.at(list.file(), p.line(), "'" + image.name() + "' is not an identity of " + manifest.csv());
        }
        if (image.number() > photos.size()) {
            throw EvalInputError.at(list.file(), p.line(), "'" + image.name() + "' has " + photos.size() + " photo(s) in "
                    + manifest.csv() + ", so there is no photo " + image.number());
        }
        Manifest.Photo photo = photos.get(image.number() - 1);
        return new Resolved(photo.file(), photo.identity(), photo.age());
    }

    static Set<Path> files(List<ResolvedPair> pairs) {
        Set<Path> files = new LinkedHashSet<>();
        for (ResolvedPair p : pairs) {
            files.add(p.a().file());
            files.add(p.b().file());
        }
        return files;
    }

    /** Cosine similarity per pair; {@link #NO_FACE_SCORE} where either photo has no usable face. */
    static double[] scores(List<ResolvedPair> pairs, Function<Path, float[]> vectorOf) {
        double[] s = new double[pairs.size()];
        for (int i = 0; i < s.length; i++) {
            float[] a = vectorOf.apply(pairs.get(i).a().file());
            float[] b = vectorOf.apply(pairs.get(i).b().file());
            s[i] = a == null || b == null ? NO_FACE_SCORE : Similarity.cosine(a, b);
        }
        return s;
    }

    static Figures figures(double[] scores, boolean[] same, int[] fold, int folds) {
        List<Double> g = new ArrayList<>();
        List<Double> im = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            (same[i] ? g : im).add(scores[i]);
        }
        double[] genuine = g.stream().mapToDouble(Double::doubleValue).toArray();
        double[] impostor = im.stream().mapToDouble(Double::doubleValue).toArray();
        Metrics.FoldAccuracy acc = Metrics.foldAccuracy(scores, same, fold, folds);
        return new Figures(scores.length, genuine.length, impostor.length, acc.mean(), acc.std(),
                Metrics.auc(genuine, impostor), Metrics.tarAtFar(genuine, impostor, 1e-2),
                Metrics.tarAtFar(genuine, impostor, 1e-3), acc);
    }

    static boolean[] same(List<ResolvedPair> pairs) {
        boolean[] same = new boolean[pairs.size()];
        for (int i = 0; i < same.length; i++) {
            same[i] = pairs.get(i).pair().same();
        }
        return same;
    }

    static int[] folds(List<ResolvedPair> pairs) {
        return pairs.stream().mapToInt(p -> p.pair().fold()).toArray();
    }

    /** Photos without a usable face among those the pairs use. */
    static long noFace(List<ResolvedPair> pairs, Map<Path, PhotoEmbeddings.Face> faces) {
        return files(pairs).stream().filter(f -> !faces.get(f).found()).count();
    }
}
