package org.homeward.faces.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import org.homeward.faces.ModelBundle;
import org.homeward.models.ModelsConfig;
import org.homeward.photos.ImageDecoder;
import org.homeward.photos.PhotoPixels;
import org.homeward.testing.Allocations;
import org.homeward.testing.Scores;
import org.homeward.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A photo over the whole-decode limit (real weights, a portrait made 25-megapixel two ways: the face filling it, and
 * a small face in a large scene) is analysed from an overview and its face's region: the same face, nearly the same
 * vector, the very chip the whole photo gives, and a fraction of the decoding's memory; a batch of such photos
 * leaves nothing behind.
 */
class LargePhotoTest {

    private static final Path MODELS = Path.of(System.getenv().getOrDefault("HOMEWARD_MODELS", "/var/lib/homeward/models"));
    /** The app's default (homeward.photos.whole-decode-pixels). */
    private static final long WHOLE_UP_TO = 16_000_000;

    private static ModelBundle bundle;
    private static FacePipeline pipeline;
    /** The face fills the photo: its region is thinned out to {@link FaceRegion#MAX_SIDE}. */
    private static PhotoPixels large;
    /** A 420-pixel face in a 5600 x 4480 scene: its region is read at full resolution. */
    private static PhotoPixels scene;
    /** Bytes allocated by the pipeline's decoding steps. */
    private static final AtomicLong decoded = new AtomicLong();
    /** Each photo analysed once both ways, for all the tests to compare. */
    private static Analyses largeAnalysed;
    private static Analyses sceneAnalysed;

    /** A photo analysed decoded whole and in parts, with what each way's decoding allocated. */
    private record Analyses(PhotoPixels photo, FacePipeline.Analysed whole, FacePipeline.Analysed parts,
            long wholeDecoded, long partsDecoded) {

        static Analyses of(PhotoPixels photo) {
            long before = decoded.get();
            FacePipeline.Analysed whole = pipeline.analysePhotos(List.of(photo), Long.MAX_VALUE).get(0);
            long between = decoded.get();
            FacePipeline.Analysed parts = pipeline.analysePhotos(List.of(photo), WHOLE_UP_TO).get(0);
            return new Analyses(photo, whole, parts, between - before, decoded.get() - between);
        }
    }

    @BeforeAll
    static void open() throws Exception {
        boolean installed = Files.isDirectory(MODELS.resolve(ModelBundle.EMBEDDER));
        if (!installed) {
            System.out.println("SKIPPED: no model bundle at " + MODELS + " (deploy/homeward models)");
        }
        assumeTrue(installed, "model bundle absent");
        byte[] portrait = TestImages.debianPortrait(TestImages.GRACE_HOPPER).orElse(null);
        if (portrait == null) {
            System.out.println("SKIPPED: " + TestImages.GRACE_HOPPER + " absent (python-matplotlib-data)");
        }
        assumeTrue(portrait != null, "portrait absent");
        BufferedImage small = ImageDecoder.decode(portrait, Long.MAX_VALUE).rgb();
        large = PhotoPixels.open(placed(small, 9, small.getWidth() * 9, small.getHeight() * 9), Long.MAX_VALUE);
        scene = PhotoPixels.open(placed(small, 2, 5600, 4480), Long.MAX_VALUE);
        bundle = new ModelBundle(MODELS, ModelsConfig.Device.cpu, 2000, ModelBundle.TRANSFORM);
        pipeline = new FacePipeline(bundle, new QualityGate(QualityGate.Rules.DEFAULTS), new FacePipeline.StepTimer() {
            @Override
            public <T> T time(String step, Supplier<T> work) {
                if (!step.equals("decode")) {
                    return work.get();
                }
                long before = Allocations.soFar();
                T result = work.get();
                decoded.addAndGet(Allocations.soFar() - before);
                return result;
            }
        });
        largeAnalysed = Analyses.of(large);
        sceneAnalysed = Analyses.of(scene);
    }

    @AfterAll
    static void close() {
        if (bundle != null) {
            bundle.close();
        }
    }

    @Test
    void aLargePhotoReadInPartsGivesTheFaceTheWholePhotoGives() {
        for (Analyses analysed : List.of(largeAnalysed, sceneAnalysed)) {
            PhotoPixels photo = analysed.photo();
            assertTrue(photo.pixels() > WHOLE_UP_TO, "the test photo is over the limit: " + photo.pixels());
            FoundFace whole = only(analysed.whole());
            FoundFace parts = only(analysed.parts());

            assertTrue(whole.quality().usable() && parts.quality().usable(), "the portrait's face is usable both ways");
            double width = whole.box().width();
            assertTrue(Math.abs(whole.box().left() - parts.box().left()) < 0.03 * width
                    && Math.abs(whole.box().right() - parts.box().right()) < 0.03 * width,
                    "the box is the whole photo's within 3% of its width: " + whole.box() + " against " + parts.box());
            double cosine = Scores.cosine(whole.searchVector(), parts.searchVector());
            System.out.printf("FIGURES %dx%d photo: box %s whole, %s in parts; search-vector cosine %.4f%n",
                    photo.width(), photo.height(), whole.box(), parts.box(), cosine);
            assertTrue(cosine > 0.98, "the face's search vector is the whole photo's (cosine " + cosine + ")");
        }
    }

    @Test
    void aFacesRegionGivesTheVeryChipTheWholePhotoGives() {
        FoundFace face = only(sceneAnalysed.parts());
        assertTrue(face.box().width() * (1 + 2 * FaceRegion.REACH) <= FaceRegion.MAX_SIDE, "read at full resolution");
        float[] fromWhole = pipeline.chip(scene, scene.whole(), face.box(), face.landmarks());
        float[] fromRegion = pipeline.chip(scene, null, face.box(), face.landmarks());
        assertArrayEquals(fromWhole, fromRegion, "the region holds everything the chip reads");
    }

    @Test
    void memoryStaysFlatAcrossABatchOfLargePhotos() {
        long wholeWay = sceneAnalysed.wholeDecoded();
        long partsWay = sceneAnalysed.partsDecoded();
        long before = usedAfterGc();
        pipeline.analysePhotos(List.of(scene, large, scene, large), WHOLE_UP_TO).forEach(LargePhotoTest::only);
        long after = usedAfterGc();
        System.out.printf("FIGURES 25 MP scene, %d cores: decoding allocates %d MB whole, %d MB in parts;"
                + " heap in use after GC %d MB before a batch of 4 large photos, %d MB after%n",
                Runtime.getRuntime().availableProcessors(), wholeWay >> 20, partsWay >> 20, before >> 20, after >> 20);
        assertTrue(partsWay < wholeWay / 2, "reading in parts allocates under half of the whole decode: "
                + (partsWay >> 20) + " MB against " + (wholeWay >> 20) + " MB");
        assertTrue(after - before < 32L << 20, "a batch of 4 large photos leaves under 32 MB behind: " + ((after - before) >> 20) + " MB");
    }

    private static FoundFace only(FacePipeline.Analysed analysed) {
        assertNull(analysed.unreadable());
        assertEquals(1, analysed.faces().size(), "one face on the portrait");
        return analysed.faces().get(0);
    }

    /** The portrait scaled up {@code k} times (bicubic) in the middle of a grey w x h scene, saved as a JPEG. */
    private static byte[] placed(BufferedImage small, int k, int w, int h) throws Exception {
        BufferedImage big = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = big.createGraphics();
        g.setColor(new java.awt.Color(0x8a9099));
        g.fillRect(0, 0, w, h);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        int sw = small.getWidth() * k;
        int sh = small.getHeight() * k;
        g.drawImage(small, (w - sw) / 2, (h - sh) / 2, sw, sh, null);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(big, "jpg", out);
        return out.toByteArray();
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
