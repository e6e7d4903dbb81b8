package org.homeward.projections;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.homeward.faces.ModelBundle;
import org.homeward.faces.pipeline.FacePipeline;
import org.homeward.faces.pipeline.QualityGate;
import org.homeward.models.AgeEstimator;
import org.homeward.models.Landmarks;
import org.homeward.models.ModelsConfig;
import org.homeward.projections.ageing.AgeProjector;
import org.homeward.projections.ageing.PrototypePackage;
import org.homeward.projections.ageing.PrototypeProjector;
import org.homeward.projections.imaging.ProjectionFrame;
import org.homeward.testing.Fgnet;
import org.homeward.tools.projections.AgeingFigures;
import org.homeward.tools.projections.AnnotatedPhoto;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The committed default projection (deploy/models/packages/homeward-age-prototypes-v2) on real FG-NET dev
 * children, with the real face models: projections are drawn, repeatable, keep the person, and look older to
 * the age estimator, the older the target the older they look. One childhood photo (age 3 to 8) per person, the
 * first 20 people with a usable face. The prototypes were built from these people too: the held-out figures come
 * from {@code deploy/homeward projections ageing} (docs/projections.md).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FgnetProjectionTest {

    static final Path PACKAGE = Path.of("deploy", "models", "packages", PrototypePackage.NAME);
    static final Path MODELS = Path.of(System.getenv().getOrDefault("HOMEWARD_MODELS", "/var/lib/homeward/models"));
    static final List<Double> TARGETS = List.of(10.0, 14.0, 18.0, 25.0, 35.0);

    private ModelBundle bundle;
    private PrototypeProjector projector;
    private AgeingFigures figures;
    private AgeingFigures.Report report;

    @BeforeAll
    void projectOneChildhoodFacePerPerson() {
        assumeTrue(Fgnet.present(), "FG-NET dev data absent");
        assumeTrue(Files.isRegularFile(MODELS.resolve(ModelBundle.EMBEDDER).resolve("manifest.json")),
                "SKIPPED: no model bundle at " + MODELS + " (deploy/homeward models builds it)");
        bundle = new ModelBundle(MODELS, ModelsConfig.Device.cpu, 2000);
        AgeEstimator estimator = bundle.ageEstimator().orElse(null);
        assumeTrue(estimator != null, "SKIPPED: no age estimator package in " + MODELS);
        projector = PrototypePackage.open(PACKAGE);
        FacePipeline pipeline = new FacePipeline(bundle, new QualityGate(QualityGate.Rules.DEFAULTS), FacePipeline.StepTimer.NONE);
        figures = new AgeingFigures(pipeline, bundle.embedder(), estimator,
                AnnotatedPhoto.readCsv(Fgnet.ROOT.resolve("fgnet-dev.csv")), 20);
        report = figures.measure(person -> projector, TARGETS);
        System.out.print(report.table());
    }

    @AfterAll
    void close() {
        if (bundle != null) {
            bundle.close();
        }
    }

    @Test
    void aChildhoodFaceIsProjectedRepeatablyWithItsLandmarksMoved() {
        AgeingFigures.Child c = figures.children().get(0);
        Landmarks landmarks = c.face().landmarks();
        List<Double> ages = List.of(c.photo().age(), 20.0);
        List<AgeProjector.Rendered> once = projector.project(c.image(), landmarks, c.photo().age(), ages);
        List<AgeProjector.Rendered> twice = projector.project(c.image(), landmarks, c.photo().age(), ages);
        assertEquals(2, once.size());
        for (int i = 0; i < once.size(); i++) {
            assertEquals(ProjectionFrame.DEFAULT.size(), once.get(i).image().getWidth());
            assertArrayEquals(pixels(once.get(i).image()), pixels(twice.get(i).image()), "the same input gives the same pixels");
        }
        BufferedImage source = projector.sourceFrame(c.image(), landmarks);
        assertEquals(0, meanDifference(source, once.get(0).image()), 1e-9, "at the photo's own age the face is unchanged");
        assertTrue(meanDifference(source, once.get(1).image()) > 1, "at 20 it is changed");
        double young = midface(once.get(0).landmarks());
        double old = midface(once.get(1).landmarks());
        System.out.printf("eyes-to-nose height over eye distance: %.3f at %.0f, %.3f at 20%n", young, c.photo().age(), old);
        assertTrue(old > young, "the midface lengthens as the face grows: " + young + " -> " + old);
    }

    @Test
    void projectionsStayNearerTheirOwnChildThanAnyOtherChild() {
        assertTrue(report.children() >= 15, "enough FG-NET children with a usable face: " + report.children());
        for (AgeingFigures.AtAge a : report.ages()) {
            assertTrue(a.identityKept() >= 0.95, "identity kept in " + a.identityKept() + " of the projections to "
                    + a.target() + " (at least 0.95 expected)");
        }
    }

    @Test
    void projectionsLookOlderTheOlderTheTarget() {
        double previous = report.unchangedEstimate();
        for (AgeingFigures.AtAge a : report.ages()) {
            assertTrue(a.meanEstimate() > previous, "a projection to " + a.target() + " looks older (" + a.meanEstimate()
                    + ") than the one before it (" + previous + ")");
            previous = a.meanEstimate();
        }
        // measured 15.6 with appearance 1, texture 1 and shape 1.25 (14.5 with shape 1; 11.7 with v1's prototypes)
        assertTrue(report.at(25).meanEstimate() >= 15, "projections to 25 look at least 15: " + report.at(25).meanEstimate());
    }

    @Test
    void theAdultMeanFacesLookOlderThanTheChildrensButYoungerThanTheirAges() {
        Map<String, Double> looks = AgeingFigures.meanImageAges(projector.prototypes(), AgeingFigures.blurAllowed(bundle),
                bundle.ageEstimator().orElseThrow());
        System.out.println("mean images look: " + looks);
        assertEquals(projector.prototypes().groups().size(), looks.size());
        // measured: 0-1 3.1, 4-5 5.1, 21-25 14.7, 45+ 24.0 (docs/projections.md, "How old a mean face looks")
        assertTrue(looks.get("0-1") < 6 && looks.get("4-5") < 8, "the young means look young: " + looks);
        assertTrue(looks.get("45+") > looks.get("21-25") && looks.get("21-25") > looks.get("4-5") + 5, "older means look older: " + looks);
        assertTrue(looks.get("21-25") < 21, "a mean of 21-25-year-olds looks younger than they are: " + looks);
    }

    /** The height from the eyes' line to the bottom of the nose, over the distance between the eye centres. */
    static double midface(Landmarks l) {
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
