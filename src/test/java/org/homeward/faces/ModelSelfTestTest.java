package org.homeward.faces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.homeward.models.ModelUnavailable;
import org.homeward.models.ModelsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The known-answer self-test passes on the installed bundle and refuses a package re-made wrong: one
 * weight changed, its checksum updated so that only the known answers can tell (as a runtime computing
 * wrong sums would look).
 */
public class ModelSelfTestTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void theInstalledBundleGivesItsKnownAnswers() {
        Path dir = DamagedBundle.installedOrSkip();
        try (ModelBundle bundle = new ModelBundle(dir, ModelsConfig.Device.cpu, 0, ModelBundle.TRANSFORM)) {
            SelfTestReport report = bundle.selfTest();
            report.verdicts().forEach(v -> System.out.println("self-test: " + v.line()));
            assertTrue(report.passed(), report.summary());
            assertEquals(5, report.verdicts().size(), "detector, landmarks, embedder, age, transform: " + report.verdicts());
            assertTrue(report.runtime().startsWith("libtorch "), report.runtime());
        }
    }

    @Test
    void aDetectorWithOneWeightChangedIsRefusedWithTheFigureAndTolerance() throws Exception {
        Path dir = DamagedBundle.copyWithDamagedDetector(temp);
        try (ModelBundle bundle = new ModelBundle(dir, ModelsConfig.Device.cpu, 0, ModelBundle.TRANSFORM)) {
            SelfTestReport report = bundle.selfTest();
            assertFalse(report.passed());
            ModelSelfTest.Verdict detector = report.verdicts().get(0);
            assertEquals(ModelBundle.DETECTOR, detector.packageName());
            assertFalse(detector.passed());
            assertTrue(detector.detail().matches("score map max \\|diff\\| \\S+ from dlib's \\(tolerance 0.00010\\).*"),
                    detector.detail());
            // the other packages are fed dlib's answers, so the failure names the detector alone
            assertEquals(1, report.failures().size(), report.summary());
            assertTrue(report.summary().contains("model self-test FAILED") && report.summary().contains(ModelBundle.DETECTOR),
                    report.summary());
        }
    }

    @Test
    void aTransformWithOneWeightChangedIsRefused() throws Exception {
        Path dir = DamagedBundle.copyInstalled(temp);
        Path params = dir.resolve(ModelBundle.TRANSFORM).resolve("parameters.json");
        ObjectNode p = (ObjectNode) JSON.readTree(params.toFile());
        ArrayNode row = (ArrayNode) p.path("matrix").get(0);
        row.set(0, row.get(0).asDouble() + 0.05);
        Files.write(params, JSON.writeValueAsBytes(p));
        DamagedBundle.updateChecksum(dir.resolve(ModelBundle.TRANSFORM), "parameters.json");
        try (ModelBundle bundle = new ModelBundle(dir, ModelsConfig.Device.cpu, 0, ModelBundle.TRANSFORM)) {
            SelfTestReport report = bundle.selfTest();
            assertEquals(1, report.failures().size(), report.summary());
            ModelSelfTest.Verdict t = report.failures().get(0);
            assertEquals(ModelBundle.TRANSFORM, t.packageName());
            assertTrue(t.detail().contains("from the maker's (tolerance 1.0e-05)"), t.detail());
        }
    }

    @Test
    void aPackageWithoutKnownAnswersIsRefusedAndCommandsWillNotRun() throws Exception {
        Path dir = DamagedBundle.copyInstalled(temp);
        Path age = dir.resolve(ModelBundle.AGE);
        ObjectNode manifest = (ObjectNode) JSON.readTree(age.resolve("manifest.json").toFile());
        ((ObjectNode) manifest.path("files")).remove(ModelSelfTest.FILE);
        Files.write(age.resolve("manifest.json"), JSON.writeValueAsBytes(manifest));
        ModelUnavailable e = org.junit.jupiter.api.Assertions.assertThrows(ModelUnavailable.class,
                () -> ModelBundle.requireSelfTest(dir, ModelsConfig.Device.cpu));
        assertTrue(e.getMessage().contains(ModelBundle.AGE + ": the package carries no known answers"), e.getMessage());
    }

    /** Copies of the installed bundle, some with one weight changed. */
    public static final class DamagedBundle {

        public static Path installedOrSkip() {
            Path dir = Path.of(System.getenv().getOrDefault("HOMEWARD_MODELS", "/var/lib/homeward/models"));
            boolean there = Files.isRegularFile(dir.resolve(ModelBundle.DETECTOR).resolve(ModelSelfTest.FILE));
            if (!there) {
                System.out.println("self-test test skipped: no bundle with known answers in " + dir + " (deploy/homeward models)");
            }
            org.junit.jupiter.api.Assumptions.assumeTrue(there, "no model bundle with known answers in " + dir);
            return dir;
        }

        static Path copyInstalled(Path temp) throws IOException {
            Path from = installedOrSkip();
            Path to = temp.resolve("models");
            for (String pkg : new String[] {ModelBundle.DETECTOR, ModelBundle.LANDMARKS, ModelBundle.EMBEDDER,
                ModelBundle.AGE, ModelBundle.TRANSFORM}) {
                Files.createDirectories(to.resolve(pkg));
                try (var files = Files.list(from.resolve(pkg))) {
                    for (Path f : files.toList()) {
                        Files.copy(f, to.resolve(pkg).resolve(f.getFileName()));
                    }
                }
            }
            return to;
        }

        /** The bundle with the detector's first convolution weight changed by 0.05 (checksum updated). */
        static Path copyWithDamagedDetector(Path temp) throws IOException {
            Path dir = copyInstalled(temp);
            Path model = dir.resolve(ModelBundle.DETECTOR).resolve("model.pt");
            Files.write(model, changeFirstFloat(model, "/data/1", 0.05f));
            updateChecksum(dir.resolve(ModelBundle.DETECTOR), "model.pt");
            return dir;
        }

        /** Rewrites a TorchScript zip with the first float of the entry ending in {@code suffix} changed. */
        private static byte[] changeFirstFloat(Path zipFile, String suffix, float delta) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            boolean changed = false;
            // ZipFile reads the central directory: PyTorch's stored entries carry data descriptors, which
            // ZipInputStream refuses.
            try (ZipFile in = new ZipFile(zipFile.toFile()); ZipOutputStream z = new ZipOutputStream(out)) {
                for (ZipEntry e : java.util.Collections.list(in.entries())) {
                    byte[] data;
                    try (var stream = in.getInputStream(e)) {
                        data = stream.readAllBytes();
                    }
                    if (e.getName().endsWith(suffix)) {
                        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
                        b.putFloat(0, b.getFloat(0) + delta);
                        changed = true;
                    }
                    ZipEntry copy = new ZipEntry(e.getName());
                    copy.setMethod(ZipEntry.STORED);
                    copy.setSize(data.length);
                    CRC32 crc = new CRC32();
                    crc.update(data);
                    copy.setCrc(crc.getValue());
                    z.putNextEntry(copy);
                    z.write(data);
                    z.closeEntry();
                }
            }
            assertTrue(changed, "no entry ending in " + suffix);
            return out.toByteArray();
        }

        static void updateChecksum(Path pkg, String file) throws IOException {
            ObjectNode manifest = (ObjectNode) JSON.readTree(pkg.resolve("manifest.json").toFile());
            byte[] bytes = Files.readAllBytes(pkg.resolve(file));
            String sha;
            try {
                sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            ObjectNode entry = ((ObjectNode) manifest.path("files")).putObject(file);
            entry.put("sha256", sha);
            entry.put("bytes", bytes.length);
            Files.write(pkg.resolve("manifest.json"), JSON.writeValueAsBytes(manifest));
        }
    }
}
