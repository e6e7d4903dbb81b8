package org.homeward.projections;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.util.List;
import java.util.function.Predicate;
import org.homeward.faces.ModelBundle;
import org.homeward.faces.pipeline.FacePipeline;
import org.homeward.faces.pipeline.FoundFace;
import org.homeward.faces.pipeline.QualityGate;
import org.homeward.models.AgeEstimator;
import org.homeward.models.ModelsConfig;
import org.homeward.projections.ageing.AgeProjector;
import org.homeward.projections.ageing.PrototypePackage;
import org.homeward.projections.ageing.PrototypeProjector;
import org.homeward.projections.ageing.Resemblance;
import org.homeward.testing.Fgnet;
import org.homeward.tools.projections.AnnotatedPhoto;
import org.homeward.tools.projections.ResemblanceFigures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Family resemblance in the committed default projection, on real FG-NET dev faces with the real models: a relative's
 * adult photo changes a projection only past {@link Resemblance#FROM_AGE}, only inside the face, repeatably; it moves
 * the projection towards the relative's face, and the projection stays nearer its own child than any other child even
 * when the "relative" is a stranger. The held-out figures come from {@code deploy/homeward projections resemblance}
 * (docs/projections.md, "Family resemblance").
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FamilyResemblanceTest {

    private ModelBundle bundle;
    private FacePipeline pipeline;
    private PrototypeProjector projector;
    private List<AnnotatedPhoto> photos;
    private List<ResemblanceFigures.Row> rows;

    @BeforeAll
    void measure() {
        assumeTrue(Fgnet.present(), "FG-NET dev data absent");
        assumeTrue(Files.isRegularFile(FgnetProjectionTest.MODELS.resolve(ModelBundle.EMBEDDER).resolve("manifest.json")),
                "SKIPPED: no model bundle at " + FgnetProjectionTest.MODELS + " (deploy/homeward models builds it)");
        bundle = new ModelBundle(FgnetProjectionTest.MODELS, ModelsConfig.Device.cpu, 2000);
        AgeEstimator estimator = bundle.ageEstimator().orElse(null);
        assumeTrue(estimator != null, "SKIPPED: no age estimator package in " + FgnetProjectionTest.MODELS);
        projector = PrototypePackage.open(FgnetProjectionTest.PACKAGE);
        pipeline = new FacePipeline(bundle, new QualityGate(QualityGate.Rules.DEFAULTS), FacePipeline.StepTimer.NONE);
        photos = AnnotatedPhoto.readCsv(Fgnet.ROOT.resolve("fgnet-dev.csv"));
        ResemblanceFigures figures = new ResemblanceFigures(pipeline, bundle.embedder(), estimator, photos);
        assumeTrue(figures.people() >= 10, "too few people with a childhood photo and two adult ones: " + figures.people());
        rows = figures.measure(person -> projector, List.of(10.0, 25.0), Resemblance.DEFAULT_WEIGHT);
        System.out.print(ResemblanceFigures.table(rows));
    }

    @AfterAll
    void close() {
        if (bundle != null) {
            bundle.close();
        }
    }

    @Test
    void aRelativeChangesOnlyTheAdultEndAndOnlyTheFace() {
        Face child = face(p -> p.age() >= 3 && p.age() <= 8);
        Face relative = face(p -> p.age() >= 25 && !p.identity().equals(child.photo().identity()));
        Resemblance resemblance = Resemblance.of(List.of(new Resemblance.Relative(relative.image(), relative.found().landmarks())));
        List<Double> ages = List.of(10.0, 25.0);
        List<AgeProjector.Rendered> plain = projector.project(child.image(), child.found().landmarks(), child.photo().age(), ages);
        List<AgeProjector.Rendered> steered = projector.project(child.image(), child.found().landmarks(), child.photo().age(), ages,
                resemblance);
        List<AgeProjector.Rendered> again = projector.project(child.image(), child.found().landmarks(), child.photo().age(), ages,
                resemblance);
        assertArrayEquals(FgnetProjectionTest.pixels(plain.get(0).image()), FgnetProjectionTest.pixels(steered.get(0).image()),
                "a projection to 10 is the child's alone");
        assertArrayEquals(FgnetProjectionTest.pixels(steered.get(1).image()), FgnetProjectionTest.pixels(again.get(1).image()),
                "the same relatives give the same pixels");
        double change = FgnetProjectionTest.meanDifference(plain.get(1).image(), steered.get(1).image());
        assertTrue(change > 0.5, "the projection to 25 takes after the relative: mean change " + change);
        double border = bandChange(plain.get(1).image(), steered.get(1).image(), true);
        double middle = bandChange(plain.get(1).image(), steered.get(1).image(), false);
        assertTrue(border < 0.1 * middle, "the frame's edges (hair, background) stay: change " + border + " there, " + middle
                + " in the middle");
    }

    @Test
    void aRelativePullsTheAdultEndTowardsThemAndTheChildStaysItself() {
        ResemblanceFigures.Row none = row(25, ResemblanceFigures.Steering.NONE);
        ResemblanceFigures.Row own = row(25, ResemblanceFigures.Steering.OWN);
        ResemblanceFigures.Row stranger = row(25, ResemblanceFigures.Steering.STRANGER);
        assertTrue(own.steeringPhotoSimilarity() > none.steeringPhotoSimilarity(), "nearer the adult photo that steered: "
                + none.steeringPhotoSimilarity() + " -> " + own.steeringPhotoSimilarity());
        assertTrue(stranger.strangerSimilarity() > none.strangerSimilarity(), "nearer the stranger who steered: "
                + none.strangerSimilarity() + " -> " + stranger.strangerSimilarity());
        for (ResemblanceFigures.Row r : rows) {
            assertTrue(r.nearestOwnChild() >= 0.95 * r.people(), "nearer their own child than any other, steered by "
                    + r.steering() + " to " + r.target() + ": " + r.nearestOwnChild() + " of " + r.people());
        }
        for (ResemblanceFigures.Steering s : ResemblanceFigures.Steering.values()) {
            assertEquals(row(10, ResemblanceFigures.Steering.NONE).heldBackSimilarity(), row(10, s).heldBackSimilarity(), 0,
                    "at 10 nothing is steered");
        }
    }

    /** Mean absolute change (levels) in the outer eighth of the frame ({@code edge}) or in its middle quarter. */
    private static double bandChange(BufferedImage x, BufferedImage y, boolean edge) {
        int[] a = FgnetProjectionTest.pixels(x);
        int[] b = FgnetProjectionTest.pixels(y);
        int size = x.getWidth();
        double sum = 0;
        int n = 0;
        for (int j = 0; j < size; j++) {
            for (int i = 0; i < size; i++) {
                int d = Math.min(Math.min(i, j), Math.min(size - 1 - i, size - 1 - j));
                if (edge ? d < size / 8 : d >= 3 * size / 8) {
                    for (int s = 0; s <= 16; s += 8) {
                        sum += Math.abs(((a[j * size + i] >> s) & 0xff) - ((b[j * size + i] >> s) & 0xff));
                    }
                    n += 3;
                }
            }
        }
        return sum / n;
    }

    private ResemblanceFigures.Row row(double target, ResemblanceFigures.Steering steering) {
        return rows.stream().filter(r -> r.target() == target && r.steering() == steering).findFirst().orElseThrow();
    }

    private record Face(AnnotatedPhoto photo, BufferedImage image, FoundFace found) {
    }

    private Face face(Predicate<AnnotatedPhoto> which) {
        for (AnnotatedPhoto p : photos.stream().filter(which).toList()) {
            BufferedImage image = p.read();
            FoundFace f = pipeline.analyse(image).stream().filter(x -> x.embedding() != null).findFirst().orElse(null);
            if (f != null) {
                return new Face(p, image, f);
            }
        }
        throw new AssertionError("no usable face among the FG-NET photos asked for");
    }
}
