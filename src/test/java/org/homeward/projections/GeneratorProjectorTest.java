package org.homeward.projections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.homeward.models.Landmarks;
import org.homeward.models.ModelUnavailable;
import org.homeward.models.ModelsConfig;
import org.homeward.projections.ageing.AgeProjector;
import org.homeward.projections.ageing.GeneratorProjector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The generator contract (MTLFace's ager: image [N,3,112,112] in [-1,1] + int64 age group [N] -> image) proven
 * with packages the test builds itself in PyTorch (src/test/resources/projections/tiny_generator.py): random
 * weights traced at a fixed batch of 7, and an identity.
 */
class GeneratorProjectorTest {

    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final Path OUT = Path.of("target", "tiny-generator");
    static final int EACH = 3 * 112 * 112;

    @BeforeAll
    static void buildPackages() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "SKIPPED: " + PYTHON + " is absent (python3-torch builds the test generator)");
        ProcessBuilder pb = new ProcessBuilder(PYTHON.toString(), "src/test/resources/projections/tiny_generator.py", OUT.toString())
                .redirectErrorStream(true);
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the package builder did not finish");
        assumeTrue(p.exitValue() == 0 || !log.contains("No module named 'torch'"),
                "SKIPPED: python3 has no torch (python3-torch builds the test generator)");
        assertEquals(0, p.exitValue(), log);
    }

    @Test
    void batchesOfAnyLengthAndEachAgeGroupGiveWhatTheModelGivesInPyTorch() throws IOException {
        GeneratorProjector g = GeneratorProjector.open(OUT.resolve("tiny-generator"), ModelsConfig.Device.cpu);
        assertEquals(7, g.batch(), "traced at a fixed batch of 7, like MTLFace's ager");
        float[] input = floats(OUT.resolve("reference/input.f32"));
        long[] groupsRaw = longs(OUT.resolve("reference/groups.i64"));
        float[] expected = floats(OUT.resolve("reference/expected.f32"));
        List<float[]> faces = new ArrayList<>();
        int[] groups = new int[groupsRaw.length];
        for (int i = 0; i < groups.length; i++) {
            float[] f = new float[EACH];
            System.arraycopy(input, i * EACH, f, 0, EACH);
            faces.add(f);
            groups[i] = (int) groupsRaw[i];
        }
        List<float[]> out = g.generate(faces, groups);
        assertEquals(10, out.size(), "10 faces: one full batch of 7 and one padded batch");
        double worst = 0;
        for (int i = 0; i < out.size(); i++) {
            for (int k = 0; k < EACH; k++) {
                worst = Math.max(worst, Math.abs(out.get(i)[k] - expected[i * EACH + k]));
            }
        }
        assertTrue(worst < 1e-4, "largest difference from PyTorch's own outputs: " + worst);

        // the age group reaches the model: one face at two groups differs, at the same group it does not
        List<float[]> again = g.generate(List.of(faces.get(0), faces.get(0), faces.get(0)), new int[] {2, 5, 2});
        assertTrue(maxDiff(again.get(0), again.get(1)) > 1e-3, "groups 2 and 5 give different images");
        assertEquals(0.0, maxDiff(again.get(0), again.get(2)), 1e-6, "the same group gives the same image");
        assertThrows(IllegalArgumentException.class, () -> g.generate(List.of(faces.get(0)), new int[] {7}));
    }

    @Test
    void imagesGoInAsMinusOneToOneAndComeBackAsTheSamePixels() {
        GeneratorProjector g = GeneratorProjector.open(OUT.resolve("identity-generator"), ModelsConfig.Device.cpu);
        assertEquals(0, g.batch(), "any batch size");
        BufferedImage photo = pattern(300, 260);
        Landmarks eyes = new Landmarks(new double[] {190, 170, 110, 130, 150}, new double[] {120, 121, 119, 120, 160});
        List<AgeProjector.Rendered> r = g.project(photo, eyes, 4, List.of(5.0, 25.0, 70.0));
        assertEquals(List.of("0-10", "21-30", "61+"), r.stream().map(AgeProjector.Rendered::ageGroup).toList());
        BufferedImage aligned = g.sourceFrame(photo, eyes);
        assertEquals(112, aligned.getWidth());
        for (AgeProjector.Rendered x : r) {
            assertEquals(112, x.image().getWidth());
            int worst = 0;
            for (int y = 0; y < 112; y++) {
                for (int xx = 0; xx < 112; xx++) {
                    int a = aligned.getRGB(xx, y);
                    int b = x.image().getRGB(xx, y);
                    for (int s = 0; s <= 16; s += 8) {
                        worst = Math.max(worst, Math.abs(((a >> s) & 0xff) - ((b >> s) & 0xff)));
                    }
                }
            }
            assertTrue(worst <= 1, "an identity generator returns the aligned face, within rounding: " + worst);
            // the embedder's landmarks on the output: eye centres on the ArcFace template
            double rx = (x.landmarks().x()[0] + x.landmarks().x()[1]) / 2;
            double lx = (x.landmarks().x()[2] + x.landmarks().x()[3]) / 2;
            assertEquals(73.53, rx, 0.01);
            assertEquals(38.29, lx, 0.01);
        }
    }

    @Test
    void theAppOpensAGeneratorPackageByItsTaskAndRefusesAMalformedOne() throws IOException {
        assertInstanceOf(GeneratorProjector.class, ProjectionModels.open(OUT.resolve("tiny-generator"), ModelsConfig.Device.cpu));
        Path bad = OUT.resolve("bad-generator");
        Files.createDirectories(bad);
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var manifest = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(OUT.resolve("tiny-generator/manifest.json").toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) manifest.path("input").path("image")).putArray("shape").add(7).add(3).add(128).add(128);
        json.writeValue(bad.resolve("manifest.json").toFile(), manifest);
        Files.copy(OUT.resolve("tiny-generator/model.pt"), bad.resolve("model.pt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        ModelUnavailable e = assertThrows(ModelUnavailable.class, () -> GeneratorProjector.open(bad, ModelsConfig.Device.cpu));
        assertTrue(e.getMessage().contains("input.image.shape must be [N, 3, 112, 112]"), e.getMessage());
    }

    static BufferedImage pattern(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, ((x * 7 + y) & 0xff) << 16 | ((x + y * 3) & 0xff) << 8 | ((x ^ y) & 0xff));
            }
        }
        return img;
    }

    static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    static float[] floats(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    static long[] longs(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        long[] out = new long[b.remaining() / 8];
        b.asLongBuffer().get(out);
        return out;
    }
}
