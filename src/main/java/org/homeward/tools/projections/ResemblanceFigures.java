package org.homeward.tools.projections;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.homeward.faces.pipeline.FacePipeline;
import org.homeward.faces.pipeline.FoundFace;
import org.homeward.models.AgeEstimator;
import org.homeward.models.FaceEmbedder;
import org.homeward.models.Similarity;
import org.homeward.projections.ProjectionVectors;
import org.homeward.projections.ageing.AgeProjector;
import org.homeward.projections.ageing.PrototypeProjector;
import org.homeward.projections.ageing.Resemblance;

/**
 * What family resemblance changes in a projection. FG-NET has no families, so two stand-ins bound the effect of a
 * real relative's photo: the person's own first adult photo (a relative who looks exactly like them: the most a
 * relative can give) and another person's adult photo (a relative who does not resemble them at all: the harm a
 * weak resemblance can do). Each person has a childhood photo at 3-8 and at least two adult photos (18 or over);
 * the second adult photo is never used for steering and is what the projection is judged against. For each target
 * age and each steering: the similarity to the held-back adult photo, the share of projections that rank that
 * photo first among every person's held-back adult photo, the share still nearer their own child than any other
 * child, the similarity to the person's own steering photo and to the stranger's, and the mean estimated age.
 */
public final class ResemblanceFigures {

    /** How a projection is steered. */
    public enum Steering {
        NONE("none"), OWN("own adult photo"), STRANGER("another person's adult photo");

        final String label;

        Steering(String label) {
            this.label = label;
        }
    }

    /** One person: the childhood photo and its face, the adult face that may steer, the adult face held back. */
    record Person(AnnotatedPhoto photo, BufferedImage image, FoundFace child, BufferedImage steerImage, FoundFace steer,
            FoundFace heldBack) {
    }

    /** What one target age and steering give over all people. */
    public record Row(double target, Steering steering, int people, double heldBackSimilarity, int heldBackFirst,
            int nearestOwnChild, double steeringPhotoSimilarity, double strangerSimilarity, double meanEstimate) {
    }

    private final FacePipeline pipeline;
    private final FaceEmbedder embedder;
    private final AgeEstimator estimator;
    private final List<Person> people = new ArrayList<>();
    private final Map<Steering, Double> renderMillis = new EnumMap<>(Steering.class);

    public ResemblanceFigures(FacePipeline pipeline, FaceEmbedder embedder, AgeEstimator estimator, List<AnnotatedPhoto> photos) {
        this.pipeline = pipeline;
        this.embedder = embedder;
        this.estimator = estimator;
        for (List<AnnotatedPhoto> own : AnnotatedPhoto.byPerson(photos).values()) {
            Person p = personOf(own);
            if (p != null) {
                people.add(p);
            }
        }
    }

    public int people() {
        return people.size();
    }

    /** Mean time to draw one projection (rendering only, no embedding) under each steering, of the last measure. */
    public Map<Steering, Double> renderMillis() {
        return new EnumMap<>(renderMillis);
    }

    private Person personOf(List<AnnotatedPhoto> own) {
        List<Found> adults = new ArrayList<>();
        for (AnnotatedPhoto a : own.stream().filter(x -> x.age() >= AgeingFigures.ADULT)
                .sorted(Comparator.comparingDouble(AnnotatedPhoto::age)).toList()) {
            BufferedImage image = a.read();
            FoundFace face = AgeingFigures.usableFace(pipeline, image);
            if (face != null) {
                adults.add(new Found(image, face));
            }
        }
        if (adults.size() < 2) {
            return null;
        }
        for (AnnotatedPhoto p : own.stream().filter(x -> x.age() >= AgeingFigures.YOUNGEST && x.age() <= AgeingFigures.OLDEST)
                .sorted(Comparator.comparingDouble(AnnotatedPhoto::age)).toList()) {
            BufferedImage image = p.read();
            FoundFace face = AgeingFigures.usableFace(pipeline, image);
            if (face != null) {
                return new Person(p, image, face, adults.get(0).image(), adults.get(0).face(), adults.get(adults.size() - 1).face());
            }
        }
        return null;
    }

    private record Found(BufferedImage image, FoundFace face) {
    }

    /** Every person projected to every target age under each steering, with {@code weight} for the steered ones. */
    public List<Row> measure(Function<String, PrototypeProjector> projectorFor, List<Double> targets, double weight) {
        List<Row> rows = new ArrayList<>();
        Map<Steering, List<List<float[]>>> vectors = new LinkedHashMap<>();
        for (Steering steering : Steering.values()) {
            List<List<float[]>> perPerson = new ArrayList<>();
            long rendering = 0;
            for (int i = 0; i < people.size(); i++) {
                Person p = people.get(i);
                Person steerer = steering == Steering.STRANGER ? stranger(i) : p;
                Resemblance resemblance = steering == Steering.NONE ? Resemblance.NONE : new Resemblance(
                        List.of(new Resemblance.Relative(steerer.steerImage(), steerer.steer().landmarks())), weight);
                PrototypeProjector projector = projectorFor.apply(p.photo().identity());
                long start = System.nanoTime();
                List<AgeProjector.Rendered> rendered = projector.project(p.image(), p.child().landmarks(), p.photo().age(), targets,
                        resemblance);
                rendering += System.nanoTime() - start;
                perPerson.add(ProjectionVectors.embed(embedder, rendered).stream().map(ProjectionVectors.Vectors::raw).toList());
            }
            vectors.put(steering, perPerson);
            renderMillis.put(steering, rendering / 1e6 / (people.size() * targets.size()));
        }
        for (int t = 0; t < targets.size(); t++) {
            for (Steering steering : Steering.values()) {
                rows.add(row(targets.get(t), t, steering, vectors.get(steering)));
            }
        }
        return rows;
    }

    /** The person whose adult photo steers person {@code i}'s projection in the stranger case: the next in the list. */
    private Person stranger(int i) {
        return people.get((i + 1) % people.size());
    }

    private Row row(double target, int t, Steering steering, List<List<float[]>> vectors) {
        double heldBack = 0;
        int first = 0;
        int own = 0;
        double steered = 0;
        double stranger = 0;
        double estimate = 0;
        for (int i = 0; i < people.size(); i++) {
            float[] v = vectors.get(i).get(t);
            double toHeldBack = Similarity.cosine(v, people.get(i).heldBack().embedding());
            heldBack += toHeldBack;
            if (nearest(v, i, p -> p.heldBack().embedding())) {
                first++;
            }
            if (nearest(v, i, p -> p.child().embedding())) {
                own++;
            }
            steered += Similarity.cosine(v, people.get(i).steer().embedding());
            stranger += Similarity.cosine(v, stranger(i).steer().embedding());
            estimate += estimator.estimate(v).years();
        }
        int n = people.size();
        return new Row(target, steering, n, heldBack / n, first, own, steered / n, stranger / n, estimate / n);
    }

    private boolean nearest(float[] v, int i, Function<Person, float[]> of) {
        return AgeingFigures.nearestIs(v, i, people.stream().map(of).toList());
    }

    /** The rows as a table. */
    public static String table(List<Row> rows) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%6s  %-30s %12s %12s %12s %12s %12s %9s%n", "target",
                "steered by", "held-back", "held-back", "nearest", "own adult 1", "stranger's", "estimated"));
        s.append(String.format(Locale.ROOT, "%6s  %-30s %12s %12s %12s %12s %12s %9s%n", "", "", "similarity", "ranked 1st",
                "own child", "similarity", "similarity", "age"));
        for (Row r : rows) {
            s.append(String.format(Locale.ROOT, "%6.0f  %-30s %12.3f %8d / %-3d %8d / %-3d %12.3f %12.3f %9.1f%n", r.target(),
                    r.steering().label, r.heldBackSimilarity(), r.heldBackFirst(), r.people(), r.nearestOwnChild(), r.people(),
                    r.steeringPhotoSimilarity(), r.strangerSimilarity(), r.meanEstimate()));
        }
        return s.toString();
    }
}
