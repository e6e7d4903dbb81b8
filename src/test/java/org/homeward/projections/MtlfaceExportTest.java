package org.homeward.projections;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.homeward.models.Landmarks;
import org.homeward.models.ModelPackage;
import org.homeward.models.ModelsConfig;
import org.homeward.projections.ageing.AgeProjector;
import org.homeward.projections.ageing.GeneratorProjector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/models/export_mtlface.py on a stand-in checkout of MTLFace's layout and interface
 * (src/test/resources/projections/fake_mtlface.py; MTLFace's own code is never in this repository): its CUDA ops and
 * package __init__ are never imported, the checkpoint is checked against the model, and the ager package it writes
 * runs in Homeward's GeneratorProjector.
 */
class MtlfaceExportTest {

    static final Path OUT = Path.of("target", "mtlface-export");

    static String run(String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "did not finish: " + String.join(" ", command));
        return p.exitValue() + "\n" + log;
    }

    @BeforeAll
    static void export() throws Exception {
        assumeTrue(Files.isExecutable(GeneratorProjectorTest.PYTHON), "SKIPPED: /usr/bin/python3 is absent");
        String made = run("/usr/bin/python3", "src/test/resources/projections/fake_mtlface.py", OUT.toString());
        assumeTrue(!made.contains("No module named 'torch'") && !made.contains("No module named 'scipy'"),
                "SKIPPED: python3 lacks torch or scipy");
        assertTrue(made.startsWith("0\n"), made);
        String exported = run("/usr/bin/python3", "deploy/models/export_mtlface.py", "--checkout", OUT.resolve("checkout").toString(),
                "--checkpoint", OUT.resolve("checkpoint.pth").toString(), "--out", OUT.resolve("models").toString());
        assertTrue(exported.startsWith("0\n"), exported);
        assertTrue(exported.contains("ager: traced at batch 7"), exported);
    }

    @Test
    void theExportedAgerRunsInHomewardAtEachAgeGroupRepeatably() {
        Path ager = OUT.resolve("models/mtlface-ager-v1");
        ModelPackage pkg = ModelPackage.open(ager);
        assertEquals(GeneratorProjector.TASK, pkg.manifest().path("task").asText());
        assertTrue(pkg.manifest().path("source").path("checkpoint_sha256").asText().matches("[0-9a-f]{64}"));
        GeneratorProjector g = GeneratorProjector.open(ager, ModelsConfig.Device.cpu);
        assertEquals(7, g.batch());
        BufferedImage photo = GeneratorProjectorTest.pattern(320, 300);
        Landmarks l = new Landmarks(new double[] {200, 180, 120, 140, 160}, new double[] {130, 131, 129, 130, 175});
        List<AgeProjector.Rendered> once = g.project(photo, l, 6, List.of(15.0, 45.0));
        List<AgeProjector.Rendered> twice = g.project(photo, l, 6, List.of(15.0, 45.0));
        assertEquals(List.of("11-20", "41-50"), once.stream().map(AgeProjector.Rendered::ageGroup).toList());
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(pixels(once.get(i).image()), pixels(twice.get(i).image()), "the stored noise: repeatable");
        }
        assertNotEquals(java.util.Arrays.hashCode(pixels(once.get(0).image())), java.util.Arrays.hashCode(pixels(once.get(1).image())),
                "the age group changes the image");
        assertTrue(Files.isRegularFile(OUT.resolve("models/mtlface-embedder-v1/model.pt")));
    }

    @Test
    void aCheckpointThatDoesNotMatchTheCheckoutIsRefused() throws Exception {
        String made = run("/usr/bin/python3", "-c", "import torch; s = torch.load('" + OUT.resolve("checkpoint.pth")
                + "'); s.pop(next(iter(s))); torch.save(s, '" + OUT.resolve("broken.pth") + "')");
        assertTrue(made.startsWith("0\n"), made);
        String refused = run("/usr/bin/python3", "deploy/models/export_mtlface.py", "--checkout", OUT.resolve("checkout").toString(),
                "--checkpoint", OUT.resolve("broken.pth").toString(), "--out", OUT.resolve("refused").toString());
        assertTrue(!refused.startsWith("0\n") && refused.contains("does not match python_package/mtlface: 1 missing keys"), refused);
        assertTrue(!Files.exists(OUT.resolve("refused/mtlface-ager-v1/model.pt")), "nothing written");
    }

    static int[] pixels(BufferedImage image) {
        return ((DataBufferInt) image.getRaster().getDataBuffer()).getData().clone();
    }
}
