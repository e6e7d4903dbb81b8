package org.homeward.projections;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.homeward.faces.FacePipeline;
import org.homeward.faces.FoundFace;
import org.homeward.faces.ModelBundle;
import org.homeward.faces.QualityGate;
import org.homeward.models.AgeEstimator;
import org.homeward.models.ModelsConfig;
import org.homeward.models.Similarity;
import org.homeward.photos.ImageDecoder;
import org.homeward.projections.ageing.AgeProjector;
import org.homeward.projections.ageing.PrototypePackage;
import org.homeward.projections.ageing.PrototypeProjector;
import org.homeward.projections.imaging.ProjectionFrame;
import org.homeward.testing.Fgnet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The committed default projection (deploy/models/packages/homeward-age-prototypes-v1) on real FG-NET dev
 * children, with the real face models: projections are drawn, repeatable, keep the person, and look older to
 * the age estimator. One childhood photo (age 3 to 8) per person, the first 20 people with a usable face.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FgnetProjectionTest {

    static final Path PACKAGE = Path.of("deploy", "models", "packages", PrototypePackage.NAME);
    static final Path MODELS = Path.of(System.getenv().getOrDefault("HOMEWARD_MODELS", "/var/lib/homeward/models"));
    static final double TARGET = 25;
    static final int PEOPLE = 20;

    record Child(Fgnet.Photo photo, BufferedImage image, FoundFace face) {
    }

    private ModelBundle bundle;
    private PrototypeProjector projector;
    private final List<Child> children = new ArrayList<>();
    private final List<float[]> projected = new ArrayList<>();
    /** Each face cut into the frame unchanged and embedded the same way: the baseline the projection is judged by. */
    private final List<float[]> unchanged = new ArrayList<>();

    @BeforeAll
    void projectOneChildhoodFacePerPerson() throws Exception {
        assumeTrue(Fgnet.present(), "FG-NET dev data absent");
        assumeTrue(Files.isRegularFile(MODELS.resolve(ModelBundle.EMBEDDER).resolve("manifest.json")),
                "SKIPPED: no model bundle at " + MODELS + " (deploy/homeward models builds it)");
        bundle = new ModelBundle(MODELS, ModelsConfig.Device.cpu, 2000);
        projector = PrototypePackage.open(PACKAGE);
        FacePipeline pipeline = new FacePipeline(bundle, new QualityGate(QualityGate.Rules.DEFAULTS), FacePipeline.StepTimer.NONE);
        Map<String, List<Fgnet.Photo>> byPerson = new LinkedHashMap<>();
        Fgnet.photos().forEach(p -> byPerson.computeIfAbsent(p.identity(), k -> new ArrayList<>()).add(p));
        for (List<Fgnet.Photo> photos : byPerson.values()) {
            for (Fgnet.Photo p : photos.stream().filter(x -> x.age() >= 3 && x.age() <= 8)
                    .sorted(Comparator.comparingInt(Fgnet.Photo::age)).toList()) {
                BufferedImage image = ImageDecoder.decode(Files.readAllBytes(p.path()), Long.MAX_VALUE).rgb();
                FoundFace face = pipeline.analyse(image).stream().filter(f -> f.embedding() != null).findFirst().orElse(null);
                if (face != null) {
                    children.add(new Child(p, image, face));
                    break;
                }
            }
            if (children.size() == PEOPLE) {
                break;
            }
        }
        List<AgeProjector.Rendered> rendered = new ArrayList<>();
        for (Child c : children) {
            rendered.addAll(projector.project(c.image(), c.face().landmarks(), c.photo().age(), List.of((double) c.photo().age(), TARGET)));
        }
        List<ProjectionVectors.Vectors> vectors = ProjectionVectors.embed(bundle.embedder(), rendered);
        for (int i = 0; i < children.size(); i++) {
            unchanged.add(vectors.get(2 * i).raw());
            projected.add(vectors.get(2 * i + 1).raw());
        }
    }

    @AfterAll
    void close() {
        if (bundle != null) {
            bundle.close();
        }
    }

    @Test
    void aChildhoodFaceIsProjectedRepeatablyWithItsLandmarksMoved() {
        Child c = children.get(0);
        List<Double> ages = List.of((double) c.photo().age(), 20.0);
        List<AgeProjector.Rendered> once = projector.project(c.image(), c.face().landmarks(), c.photo().age(), ages);
        List<AgeProjector.Rendered> twice = projector.project(c.image(), c.face().landmarks(), c.photo().age(), ages);
        assertEquals(2, once.size());
        for (int i = 0; i < once.size(); i++) {
            assertEquals(ProjectionFrame.DEFAULT.size(), once.get(i).image().getWidth());
            assertArrayEquals(pixels(once.get(i).image()), pixels(twice.get(i).image()), "the same input gives the same pixels");
        }
        BufferedImage source = projector.sourceFrame(c.image(), c.face().landmarks());
        assertEquals(0, meanDifference(source, once.get(0).image()), 1e-9, "at the photo's own age the face is unchanged");
        assertTrue(meanDifference(source, once.get(1).image()) > 1, "at 20 it is changed");
        double young = midface(once.get(0).landmarks());
        double old = midface(once.get(1).landmarks());
        System.out.printf("eyes-to-nose height over eye distance: %.3f at %d, %.3f at 20%n", young, c.photo().age(), old);
        assertTrue(old > young, "the midface lengthens as the face grows: " + young + " -> " + old);
    }

    @Test
    void aProjectionStaysNearerItsOwnChildThanAnyOtherChild() {
        int kept = 0;
        for (int i = 0; i < children.size(); i++) {
            double own = Similarity.cosine(projected.get(i), children.get(i).face().embedding());
            double other = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < children.size(); j++) {
                if (j != i) {
                    other = Math.max(other, Similarity.cosine(projected.get(i), children.get(j).face().embedding()));
                }
            }
            if (own > other) {
                kept++;
            }
        }
        double share = (double) kept / children.size();
        System.out.printf("projection to %.0f nearer its own child than any of the other %d: %d / %d = %.2f%n", TARGET,
                children.size() - 1, kept, children.size(), share);
        assertTrue(children.size() >= 15, "enough FG-NET children with a usable face: " + children.size());
        assertTrue(share >= 0.9, "identity kept in " + share + " of the projections (at least 0.9 expected)");
    }

    @Test
    void projectionsLookOlderToTheAgeEstimatorOnAverage() {
        AgeEstimator estimator = bundle.ageEstimator().orElse(null);
        assumeTrue(estimator != null, "SKIPPED: no age estimator package in " + MODELS);
        double before = 0;
        double after = 0;
        double errorBefore = 0;
        double errorAfter = 0;
        for (int i = 0; i < children.size(); i++) {
            double a = estimator.estimate(unchanged.get(i)).years();
            double b = estimator.estimate(projected.get(i)).years();
            before += a / children.size();
            after += b / children.size();
            errorBefore += Math.abs(a - TARGET) / children.size();
            errorAfter += Math.abs(b - TARGET) / children.size();
        }
        System.out.printf("estimated age over %d children: the face unchanged %.1f, projection to %.0f: %.1f (mean distance to the target"
                + " %.1f -> %.1f)%n", children.size(), before, TARGET, after, errorBefore, errorAfter);
        assertTrue(after > before, "projections look older: " + before + " -> " + after);
        assertTrue(errorAfter < errorBefore, "nearer the target age on average: " + errorBefore + " -> " + errorAfter);
    }

    /** The height from the eyes' line to the bottom of the nose, over the distance between the eye centres. */
    static double midface(org.homeward.models.Landmarks l) {
        double eyes = (l.y()[0] + l.y()[1] + l.y()[2] + l.y()[3]) / 4;
        return (l.y()[4] - eyes) / l.interOcular();
    }

    static int[] pixels(BufferedImage image) {
        return ((DataBufferInt) image.getRaster().getDataBuffer()).getData().clone();
    }

    static double meanDifference(BufferedImage a, BufferedImage b) {
        int[] x = pixels(a);
        int[] y = pixels(b);
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            for (int s = 0; s <= 16; s += 8) {
                sum += Math.abs(((x[i] >> s) & 0xff) - ((y[i] >> s) & 0xff));
            }
        }
        return sum / (3.0 * x.length);
    }
}
