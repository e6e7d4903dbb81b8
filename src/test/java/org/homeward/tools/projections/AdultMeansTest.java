package org.homeward.tools.projections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.homeward.faces.ModelBundle;
import org.homeward.faces.ModelSelfTestTest;
import org.homeward.faces.pipeline.FacePipeline;
import org.homeward.faces.pipeline.FoundFace;
import org.homeward.models.ModelsConfig;
import org.homeward.projections.ageing.AgePrototypes;
import org.homeward.projections.ageing.PrototypePackage;
import org.homeward.projections.imaging.ColourImage;
import org.homeward.projections.imaging.PlaneSimilarity;
import org.homeward.tools.eval.Manifest;
import org.junit.jupiter.api.Test;

/**
 * lag-train's adults as the prototypes' adult end (an experiment of {@code projections ageing}): only the adult
 * groups take the image, and the mean of real crops is a face standing where the prototypes' faces stand.
 */
class AdultMeansTest {

    private static final Path LAG = Path.of("../shared/data/lag-train/lag-train.csv");

    private static AgePrototypes committed() {
        return PrototypePackage.open(PrototypePackageTest.COMMITTED).prototypes();
    }

    @Test
    void onlyTheGroupsAgedEighteenAndOverTakeTheAdultImage() {
        AgePrototypes prototypes = committed();
        ColourImage grey = new ColourImage(prototypes.imageSize(), prototypes.imageSize());
        AgePrototypes changed = AdultMeans.withAdultImage(prototypes, grey);
        assertEquals(prototypes.groups().size(), changed.groups().size());
        int adult = 0;
        for (int k = 0; k < prototypes.groups().size(); k++) {
            AgePrototypes.Group before = prototypes.groups().get(k);
            AgePrototypes.Group after = changed.groups().get(k);
            assertSame(before.shape(), after.shape(), before.label());
            assertSame(before.texture(), after.texture(), before.label());
            if (before.meanAge() >= AdultMeans.ADULT) {
                assertSame(grey, after.image(), before.label());
                adult++;
            } else {
                assertSame(before.image(), after.image(), before.label());
            }
        }
        assertEquals(5, adult, "18-20, 21-25, 26-32, 33-44 and 45+");
    }

    @Test
    void theMeanOfLagTrainAdultsIsAFaceWhereThePrototypesFacesAre() {
        if (!Files.isRegularFile(LAG)) {
            System.out.println("adult means test skipped: " + LAG + " is absent (../shared/data)");
        }
        assumeTrue(Files.isRegularFile(LAG), "lag-train is absent");
        List<Path> adults = Manifest.read(LAG, false, "adult").photos().stream().map(Manifest.Photo::file).toList();
        assertEquals(1328, adults.size(), "lag-train's adult photos");
        Path models = ModelSelfTestTest.DamagedBundle.installedOrSkip();
        try (ModelBundle bundle = new ModelBundle(models, ModelsConfig.Device.cpu, 2000, ModelBundle.TRANSFORM)) {
            // a mean is smooth: read it with the blur gate off
            FacePipeline pipeline = AgeingFigures.blurAllowed(bundle);
            AgePrototypes prototypes = committed();
            ByteArrayOutputStream progress = new ByteArrayOutputStream();
            ColourImage mean = AdultMeans.of(adults.subList(0, 40), pipeline, prototypes, new PrintStream(progress, true));
            assertTrue(progress.toString().contains("40 / 40 read"), progress.toString());
            FoundFace face = AgeingFigures.usableFace(pipeline, mean.toBufferedImage());
            assertTrue(face != null, "no face found in the mean of 40 adults");
            // Its five landmarks land where the reference shape's mean face has them (the image is half the frame).
            PlaneSimilarity toFrame = prototypes.frame().fromPhoto(face.landmarks());
            assertEquals(2.0, toFrame.scale(), 0.2, "the mean face's scale against the frame");
            FoundFace reference = pipeline.analyse(List.of(prototypes.groups().get(10).image().toBufferedImage())).get(0).get(0);
            for (int i = 0; i < 5; i++) {
                assertEquals(reference.landmarks().x()[i], face.landmarks().x()[i], 4, "landmark " + i + " x");
                assertEquals(reference.landmarks().y()[i], face.landmarks().y()[i], 4, "landmark " + i + " y");
            }
        }
    }
}
