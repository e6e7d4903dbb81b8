package org.homeward.tools.projections;

import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.homeward.faces.ModelBundle;
import org.homeward.faces.pipeline.FacePipeline;
import org.homeward.faces.pipeline.FoundFace;
import org.homeward.faces.pipeline.QualityGate;
import org.homeward.models.AgeEstimator;
import org.homeward.models.FaceEmbedder;
import org.homeward.models.Similarity;
import org.homeward.projections.ProjectionVectors;
import org.homeward.projections.ageing.AgeProjector;
import org.homeward.projections.ageing.AgePrototypes;
import org.homeward.projections.ageing.PrototypeProjector;
import org.homeward.projections.imaging.ProjectionFrame;

/**
 * Does a projection look its age, and is it still the child? For one childhood photo (age 3 to 8) per person with a
 * usable face, projected to each target age: the age estimator's mean estimate and its mean error against the
 * target, by target age; the share of projections nearer (raw embedding) their own child than every other child;
 * and, for people who also have a photo at 18 or over, the projection's similarity to that real adult photo
 * against the childhood photo's own. {@code projectorFor} gives the projector for a person, so that a caller can
 * hand each person prototypes built without them.
 */
public final class AgeingFigures {

    public static final double YOUNGEST = 3;
    public static final double OLDEST = 8;
    public static final double ADULT = 18;

    /** One child: the childhood photo's face, and the person's first adult photo's face where there is one. */
    public record Child(AnnotatedPhoto photo, BufferedImage image, FoundFace face, FoundFace adult) {
    }

    /** What one target age gives over all children. */
    public record AtAge(double target, int children, double meanEstimate, double meanError, int nearestOwn,
            double adultSimilarity, double childAdultSimilarity, int withAdult) {

        public double identityKept() {
            return (double) nearestOwn / children;
        }
    }

    /** The figures: unchanged faces' mean estimate, and one row per target age. */
    public record Report(int children, double unchangedEstimate, List<AtAge> ages) {

        public AtAge at(double target) {
            return ages.stream().filter(a -> a.target() == target).findFirst().orElseThrow();
        }

        public String table() {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                    "%d children aged %.0f-%.0f; the faces unchanged look %.1f to the age estimator%n", children, YOUNGEST, OLDEST,
                    unchangedEstimate));
            s.append(String.format(Locale.ROOT, "%6s %10s %10s %14s %22s%n", "target", "estimated", "error", "identity kept",
                    "adult photo: proj / child"));
            for (AtAge a : ages) {
                s.append(String.format(Locale.ROOT, "%6.0f %10.1f %10.1f %8d / %-3d %12.3f / %.3f (%d)%n", a.target(),
                        a.meanEstimate(), a.meanError(), a.nearestOwn(), a.children(), a.adultSimilarity(), a.childAdultSimilarity(),
                        a.withAdult()));
            }
            return s.toString();
        }
    }

    private final FacePipeline pipeline;
    private final FaceEmbedder embedder;
    private final AgeEstimator estimator;
    private final List<Child> children = new ArrayList<>();

    /** Finds the children of {@code photos} (at most {@code people}, in the list's order) with a usable face. */
    public AgeingFigures(FacePipeline pipeline, FaceEmbedder embedder, AgeEstimator estimator, List<AnnotatedPhoto> photos,
            int people) {
        this.pipeline = pipeline;
        this.embedder = embedder;
        this.estimator = estimator;
        for (List<AnnotatedPhoto> own : AnnotatedPhoto.byPerson(photos).values()) {
            Child child = childOf(own);
            if (child != null) {
                children.add(child);
            }
            if (children.size() == people) {
                break;
            }
        }
    }

    public List<Child> children() {
        return List.copyOf(children);
    }

    private Child childOf(List<AnnotatedPhoto> own) {
        for (AnnotatedPhoto p : own.stream().filter(x -> x.age() >= YOUNGEST && x.age() <= OLDEST)
                .sorted(Comparator.comparingDouble(AnnotatedPhoto::age)).toList()) {
            BufferedImage image = p.read();
            FoundFace face = usableFace(pipeline, image);
            if (face != null) {
                FoundFace adult = own.stream().filter(x -> x.age() >= ADULT).sorted(Comparator.comparingDouble(AnnotatedPhoto::age))
                        .map(x -> usableFace(pipeline, x.read())).filter(f -> f != null).findFirst().orElse(null);
                return new Child(p, image, face, adult);
            }
        }
        return null;
    }

    /** The first face the app's pipeline finds usable on {@code image}, or null. */
    public static FoundFace usableFace(FacePipeline pipeline, BufferedImage image) {
        return pipeline.analyse(image).stream().filter(f -> f.embedding() != null).findFirst().orElse(null);
    }

    /** Projects every child to every target age with the projector {@code projectorFor} gives for its person. */
    public Report measure(Function<String, PrototypeProjector> projectorFor, List<Double> targets) {
        List<float[]> unchanged = new ArrayList<>();
        List<List<float[]>> projected = new ArrayList<>();
        for (Child c : children) {
            PrototypeProjector projector = projectorFor.apply(c.photo().identity());
            List<Double> ages = new ArrayList<>();
            ages.add(c.photo().age());
            ages.addAll(targets);
            List<AgeProjector.Rendered> rendered = projector.project(c.image(), c.face().landmarks(), c.photo().age(), ages);
            List<float[]> vectors = ProjectionVectors.embed(embedder, rendered).stream().map(ProjectionVectors.Vectors::raw).toList();
            unchanged.add(vectors.get(0));
            projected.add(vectors.subList(1, vectors.size()));
        }
        double unchangedEstimate = unchanged.stream().mapToDouble(v -> estimator.estimate(v).years()).average().orElse(Double.NaN);
        List<AtAge> rows = new ArrayList<>();
        for (int t = 0; t < targets.size(); t++) {
            double target = targets.get(t);
            double estimate = 0;
            double error = 0;
            int own = 0;
            double adult = 0;
            double childAdult = 0;
            int withAdult = 0;
            for (int i = 0; i < children.size(); i++) {
                float[] v = projected.get(i).get(t);
                double years = estimator.estimate(v).years();
                estimate += years;
                error += Math.abs(years - target);
                if (nearestIsOwn(v, i)) {
                    own++;
                }
                FoundFace a = children.get(i).adult();
                if (a != null) {
                    adult += Similarity.cosine(v, a.embedding());
                    childAdult += Similarity.cosine(children.get(i).face().embedding(), a.embedding());
                    withAdult++;
                }
            }
            int n = children.size();
            rows.add(new AtAge(target, n, estimate / n, error / n, own, adult / withAdult, childAdult / withAdult, withAdult));
        }
        return new Report(children.size(), unchangedEstimate, rows);
    }

    /**
     * Projectors whose prototypes never saw the person: people are dealt into {@code folds} folds by their place in
     * the sorted list of identities, and each fold's prototypes are built from the photos of the other folds.
     */
    public static Function<String, PrototypeProjector> heldOut(List<AnnotatedPhoto> photos, int folds,
            PrototypeProjector.Weights weights, PrintStream progress) {
        return heldOut(photos, folds, weights, progress, UnaryOperator.identity());
    }

    /** As {@link #heldOut(List, int, PrototypeProjector.Weights, PrintStream)}, each fold's prototypes changed by {@code change}. */
    public static Function<String, PrototypeProjector> heldOut(List<AnnotatedPhoto> photos, int folds,
            PrototypeProjector.Weights weights, PrintStream progress, UnaryOperator<AgePrototypes> change) {
        List<String> people = photos.stream().map(AnnotatedPhoto::identity).distinct().sorted().toList();
        Map<String, PrototypeProjector> byPerson = new HashMap<>();
        for (int k = 0; k < folds; k++) {
            int fold = k;
            Set<String> held = new HashSet<>();
            for (int i = fold; i < people.size(); i += folds) {
                held.add(people.get(i));
            }
            List<AnnotatedPhoto> training = photos.stream().filter(p -> !held.contains(p.identity())).toList();
            progress.printf(Locale.ROOT, "[projections] fold %d/%d: prototypes from %d photos of %d people, without the %d"
                    + " others%n", k + 1, folds, training.size(), people.size() - held.size(), held.size());
            AgePrototypes prototypes = change.apply(
                    PrototypeBuilder.build(training, ProjectionFrame.DEFAULT, PrototypeBuilder.Rules.DEFAULT));
            PrototypeProjector projector = new PrototypeProjector(prototypes, "fold-" + k, "cv", weights);
            held.forEach(person -> byPerson.put(person, projector));
        }
        return byPerson::get;
    }

    /**
     * How old each age group's mean image looks to the estimator: the ruler's reading of what a mean change can reach.
     * A mean image is smooth, so {@code pipeline} must not refuse blur ({@link #blurAllowed}).
     */
    public static Map<String, Double> meanImageAges(AgePrototypes prototypes, FacePipeline pipeline, AgeEstimator estimator) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (AgePrototypes.Group g : prototypes.groups()) {
            FoundFace face = usableFace(pipeline, g.image().toBufferedImage());
            out.put(g.label(), face == null ? Double.NaN : estimator.estimate(face.embedding()).years());
        }
        return out;
    }

    /** The app's pipeline with the app's gate but for its sharpness check: a mean face is smooth, not out of focus. */
    public static FacePipeline blurAllowed(ModelBundle bundle) {
        QualityGate.Rules rules = QualityGate.Rules.DEFAULTS;
        return new FacePipeline(bundle, new QualityGate(new QualityGate.Rules(rules.minInterOcular(), 0, rules.maxYaw())),
                FacePipeline.StepTimer.NONE);
    }

    private boolean nearestIsOwn(float[] projection, int i) {
        return nearestIs(projection, i, children.stream().map(c -> c.face().embedding()).toList());
    }

    /** Whether {@code v} is nearer (cosine) {@code candidates.get(own)} than every other candidate. */
    static boolean nearestIs(float[] v, int own, List<float[]> candidates) {
        double toOwn = Similarity.cosine(v, candidates.get(own));
        for (int j = 0; j < candidates.size(); j++) {
            if (j != own && Similarity.cosine(v, candidates.get(j)) >= toOwn) {
                return false;
            }
        }
        return true;
    }
}
