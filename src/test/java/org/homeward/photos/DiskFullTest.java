package org.homeward.photos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.homeward.photos.store.FolderBlobStore;
import org.homeward.testing.Api;
import org.homeward.testing.DemoUsers;
import org.homeward.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The photo store on a real, small file system (a 1 MB tmpfs) that fills up: the upload that does not fit is
 * refused with 507 and a clear problem, leaves no temporary file and no row, and the photos stored before it are
 * intact. Needs root to mount the tmpfs (CI runs as root); skipped with the reason otherwise.
 */
@QuarkusTest
@TestProfile(DiskFullTest.SmallStore.class)
class DiskFullTest {

    static final Path STORE = Path.of("target", "small-photo-store").toAbsolutePath();
    static String mountProblem = "not tried";

    /**
     * A database of its own: the photos it accepts live in a store that is gone after the test, and the backup test
     * rightly refuses a database that names photos its store does not hold. The next run drops it.
     */
    static String database;

    public static class SmallStore implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            mountProblem = mount();
            try {
                TestDatabase.dropLeftovers("homeward_disk_full");
                database = TestDatabase.createEmpty("homeward_disk_full");
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("no database for the test: " + e.getMessage(), e);
            }
            return Map.of("homeward.photos.storage", STORE.toString(),
                    "quarkus.datasource.jdbc.url", TestDatabase.url(database));
        }
    }

    private static String mount() {
        try {
            Files.createDirectories(STORE);
            run("umount", "--lazy", STORE.toString()); // a mount left by an interrupted run
            Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", STORE.toString())
                    .redirectErrorStream(true).start();
            String output = new String(mount.getInputStream().readAllBytes());
            return mount.waitFor() == 0 ? null : "mount -t tmpfs failed: " + output.strip();
        } catch (IOException | InterruptedException e) {
            return "mount -t tmpfs failed: " + e.getMessage();
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    @AfterAll
    static void unmount() throws Exception {
        run("umount", "--lazy", STORE.toString());
    }

    /** Random pixels: a PNG that does not compress, about 190 KB. */
    private static byte[] noise(long seed) throws IOException {
        BufferedImage image = new BufferedImage(250, 250, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(seed);
        for (int y = 0; y < 250; y++) {
            for (int x = 0; x < 250; x++) {
                image.setRGB(x, y, random.nextInt(0xffffff));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    @Test
    void theUploadThatDoesNotFitIsRefusedWholeAndTheOthersStayIntact() throws Exception {
        assumeTrue(mountProblem == null, "SKIPPED: " + mountProblem + " (needs root)");
        String user = DemoUsers.INVESTIGATOR_NORTH;
        Map<Long, byte[]> stored = new java.util.LinkedHashMap<>();
        Response refused = null;
        byte[] refusedBytes = null;
        for (int i = 0; i < 12 && refused == null; i++) {
            byte[] photo = noise(System.nanoTime());
            Response r = Api.as(user).contentType("image/png").body(photo).post("/api/photos");
            if (r.statusCode() == 201) {
                stored.put(((Number) r.path("id")).longValue(), photo);
            } else {
                refused = r;
                refusedBytes = photo;
            }
        }
        assertTrue(refused != null, "1 MB filled up within 12 uploads of about 190 KB");
        assertTrue(stored.size() >= 2, "some photos fitted first: " + stored.size());
        assertEquals(507, refused.statusCode(), refused.asString());
        assertTrue(refused.contentType().startsWith("application/problem+json"));
        assertEquals("/problems/photo-store-full", refused.path("type"));

        List<Path> temporary = new ArrayList<>();
        try (Stream<Path> files = Files.walk(STORE)) {
            files.filter(f -> f.getFileName().toString().endsWith(FolderBlobStore.TEMP_SUFFIX)).forEach(temporary::add);
        }
        assertEquals(List.of(), temporary, "nothing half-written remains");
        assertEquals(0, TestDatabase.photoRows(database, PhotoStore.sha256(refusedBytes)), "no row for the refused photo");
        for (Map.Entry<Long, byte[]> photo : stored.entrySet()) {
            assertArrayEquals(photo.getValue(), Api.as(user).get("/api/photos/" + photo.getKey() + "/content").then()
                    .statusCode(200).extract().asByteArray(), "photo " + photo.getKey() + " intact");
        }
    }
}
