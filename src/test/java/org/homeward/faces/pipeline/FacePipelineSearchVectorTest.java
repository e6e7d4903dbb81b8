package org.homeward.faces.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.homeward.faces.ModelBundle;
import org.homeward.models.EmbeddingTransform;
import org.homeward.models.FaceEmbedder;
import org.homeward.models.ModelUnavailable;
import org.homeward.models.ModelsConfig;
import org.homeward.photos.ImageDecoder;
import org.homeward.testing.Scores;
import org.homeward.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the transform installed, the real pipeline (real weights, a real portrait) gives each usable face its
 * search vector: the transform of the flip-averaged vectors of the chip and of its mirror image, embedded in
 * the same batch; without a transform, the search vector is the raw one and no mirror is embedded.
 */
class FacePipelineSearchVectorTest {

    private static final Path MODELS = Path.of(System.getenv().getOrDefault("HOMEWARD_MODELS", "/var/lib/homeward/models"));
    private static ModelBundle withTransform;
    private static ModelBundle raw;
    private static BufferedImage portrait;

    @BeforeAll
    static void openModels() throws Exception {
        boolean installed = Files.isDirectory(MODELS.resolve(ModelBundle.EMBEDDER)) && Files.isDirectory(MODELS.resolve(ModelBundle.TRANSFORM));
        if (!installed) {
            System.out.println("SKIPPED: no model bundle with " + ModelBundle.TRANSFORM + " at " + MODELS + " (deploy/homeward models)");
        }
        assumeTrue(installed, "model bundle with the transform absent");
        byte[] bytes = TestImages.debianPortrait(TestImages.GRACE_HOPPER).orElse(null);
        if (bytes == null) {
            System.out.println("SKIPPED: " + TestImages.GRACE_HOPPER + " absent (python-matplotlib-data)");
        }
        assumeTrue(bytes != null, "portrait absent");
        portrait = ImageDecoder.decode(bytes, Long.MAX_VALUE).rgb();
        withTransform = new ModelBundle(MODELS, ModelsConfig.Device.cpu, 2000, ModelBundle.TRANSFORM);
        raw = new ModelBundle(MODELS, ModelsConfig.Device.cpu, 2000, ModelBundle.NO_TRANSFORM);
    }

    @AfterAll
    static void close() {
        if (withTransform != null) {
            withTransform.close();
            raw.close();
        }
    }

    private static FoundFace onlyFace(ModelBundle models) {
        List<FoundFace> faces = new FacePipeline(models, new QualityGate(QualityGate.Rules.DEFAULTS), FacePipeline.StepTimer.NONE)
                .analyse(portrait);
        assertEquals(1, faces.size(), "Grace Hopper's portrait shows one face");
        assertTrue(faces.get(0).quality().usable(), faces.get(0).quality().reason());
        return faces.get(0);
    }

    @Test
    void searchVectorIsTheTransformOfTheFlipAveragedChipAndMirror() {
        EmbeddingTransform transform = withTransform.transform().orElseThrow();
        assertTrue(transform.flipAverage(), "the default transform reads flip-averaged vectors");
        assertEquals(transform.modelId(), withTransform.searchModelId());
        FoundFace face = onlyFace(withTransform);

        // The two passes done by hand, one chip at a time.
        FaceEmbedder embedder = withTransform.embedder();
        float[] chip = embedder.chip(portrait, face.landmarks());
        float[] alone = embedder.embed(List.of(chip)).get(0);
        float[] mirror = embedder.embed(List.of(FacePipeline.mirrored(chip))).get(0);
        assertArrayEquals(alone, face.embedding(), 1e-5f, "raw vector");
        assertArrayEquals(mirror, face.mirrored(), 1e-5f, "mirrored chip's vector");
        assertTrue(Scores.cosine(alone, mirror) < 0.9999, "the mirror pass embeds a different image");
        assertArrayEquals(transform.apply(EmbeddingTransform.flipAveraged(alone, mirror)), face.searchVector(), 1e-5f);
        assertEquals(128, face.searchVector().length);
    }

    @Test
    void withoutTransformSearchVectorIsTheRawVectorAndNoMirrorIsEmbedded() {
        assertEquals(ModelBundle.EMBEDDER, raw.searchModelId());
        FoundFace face = onlyFace(raw);
        assertNull(face.mirrored());
        assertSame(face.embedding(), face.searchVector());
        assertArrayEquals(onlyFace(withTransform).embedding(), face.embedding(), 1e-5f, "the raw vector does not depend on the transform");
    }

    @Test
    void theEvaluationsTestTimeFlipAsksForTheMirrorWithoutATransform() {
        FacePipeline pipeline = new FacePipeline(raw, new QualityGate(QualityGate.Rules.DEFAULTS), FacePipeline.StepTimer.NONE);
        FoundFace face = pipeline.analyse(List.of(portrait), true).get(0).get(0);
        assertNotNull(face.mirrored());
        assertArrayEquals(onlyFace(withTransform).mirrored(), face.mirrored(), 1e-5f);
    }

    @Test
    void aBadTransformNameIsRefusedWithTheSettingNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ModelBundle(MODELS, ModelsConfig.Device.cpu, 2000, "../etc"));
        assertTrue(e.getMessage().contains("homeward.models.transform"), e.getMessage());
    }

    @Test
    void aDamagedTransformFailsLoudlyInsteadOfSearchingRawVectors(@TempDir Path dir) throws Exception {
        Path copy = Files.createDirectories(dir.resolve(ModelBundle.TRANSFORM));
        for (String file : List.of("manifest.json", "parameters.json")) {
            Files.copy(MODELS.resolve(ModelBundle.TRANSFORM).resolve(file), copy.resolve(file));
        }
        Files.writeString(copy.resolve("parameters.json"), " ", java.nio.file.StandardOpenOption.APPEND);
        ModelBundle damaged = new ModelBundle(dir, ModelsConfig.Device.cpu, 2000, ModelBundle.TRANSFORM);
        ModelUnavailable e = assertThrows(ModelUnavailable.class, damaged::searchModelId);
        assertTrue(e.getMessage().contains("parameters.json"), e.getMessage());
    }

    @Test
    void aTransformThatIsNotInstalledLeavesSearchOnRawVectorsAndSaysWhy() {
        ModelBundle missing = new ModelBundle(MODELS, ModelsConfig.Device.cpu, 2000, "homeward-embedding-transform-v999");
        assertEquals(ModelBundle.EMBEDDER, missing.searchModelId());
        assertTrue(missing.transformNote().contains("not installed"), missing.transformNote());
    }
}
