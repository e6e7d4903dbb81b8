package org.homeward.photos;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.homeward.testing.DemoUsers;
import org.homeward.testing.TestDatabase;
import org.homeward.testing.TestImages;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A photo uploaded through the API ends, by the worker's hand, with faces, landmarks, age and a vector in pgvector. */
@QuarkusTest
@Tag("shared-app")
class PhotoProcessingTest {

    private static String token() {
        return DemoUsers.accessToken(DemoUsers.INVESTIGATOR_NORTH);
    }

    private static JsonPath waitUntilProcessed(long id) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            JsonPath photo = given().auth().oauth2(token()).get("/api/photos/" + id).then().statusCode(200)
                    .extract().jsonPath();
            String state = photo.getString("state");
            if (state.equals("done") || state.equals("failed")) {
                return photo;
            }
            assertTrue(System.currentTimeMillis() < deadline, "photo " + id + " still " + state + " after 2 minutes");
            Thread.sleep(250);
        }
    }

    @Test
    void portraitEndsWithAFaceLandmarksAgeAndAnEmbedding() throws Exception {
        byte[] portrait = TestImages.debianPortrait(TestImages.GRACE_HOPPER).orElse(null);
        assumeTrue(portrait != null, "SKIPPED: " + TestImages.GRACE_HOPPER + " absent (Debian package python-matplotlib-data)");
        int id = given().auth().oauth2(token()).contentType("image/png").body(TestImages.unique(portrait, System.nanoTime()))
                .post("/api/photos").then().statusCode(201).extract().path("id");
        JsonPath photo = waitUntilProcessed(id);
        assertEquals("done", photo.getString("state"), "failure: " + photo.getString("failureReason"));
        assertEquals(1, photo.getInt("faceCount"));

        List<Map<String, Object>> faces = given().auth().oauth2(token()).get("/api/photos/" + id + "/faces")
                .then().statusCode(200).extract().jsonPath().getList("$");
        Map<String, Object> face = faces.get(0);
        assertEquals(true, face.get("usable"), "quality: " + face.get("qualityReason"));
        assertEquals(10, ((List<?>) face.get("landmarks")).size());
        assertNotNull(face.get("estimatedAge"), "age estimated");
        float age = ((Number) face.get("estimatedAge")).floatValue();
        assertTrue(age > 15 && age < 90, "Grace Hopper was photographed as an adult; estimate " + age);

        try (Connection c = TestDatabase.connect(TestDatabase.TEST_DB); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT model_id, kind, vector_dims(vector) FROM embedding WHERE face_id = "
                        + ((Number) face.get("id")).longValue() + " ORDER BY model_id")) {
            assertTrue(rs.next(), "an embedding row for the face");
            assertEquals("dlib-face-embedder-v1", rs.getString(1));
            assertEquals("original", rs.getString(2));
            assertEquals(128, rs.getInt(3));
        }
    }

    @Test
    void corruptFileInTheStoreEndsFailedWithItsReasonAndDoesNotBlockOthers() throws Exception {
        // A photo whose stored file went bad after upload (disk fault): the worker must fail it, not loop.
        byte[] garbage = ("not an image " + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
        String sha = PhotoStore.sha256(garbage);
        Path file = Path.of("target/test-photos", sha.substring(0, 2), sha.substring(2, 4), sha);
        Files.createDirectories(file.getParent());
        Files.write(file, garbage);
        long poisoned;
        try (Connection c = TestDatabase.connect(TestDatabase.TEST_DB); Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("INSERT INTO photo (sha256, content_type, byte_size, width, height, uploaded_by) "
                    + "VALUES ('" + sha + "', 'image/jpeg', " + garbage.length + ", 10, 10, '" + DemoUsers.INVESTIGATOR_NORTH + "') RETURNING id");
            rs.next();
            poisoned = rs.getLong(1);
            s.execute("INSERT INTO job (kind, subject_id) VALUES ('process-photo', " + poisoned + ")");
        }
        int good = given().auth().oauth2(token()).contentType("image/png")
                .body(TestImages.generated("png", 120, 90, System.nanoTime()))
                .post("/api/photos").then().statusCode(201).extract().path("id");

        JsonPath failed = waitUntilProcessed(poisoned);
        assertEquals("failed", failed.getString("state"));
        assertTrue(failed.getString("failureReason").contains("not a JPEG, PNG or WebP"), failed.getString("failureReason"));
        JsonPath done = waitUntilProcessed(good);
        assertEquals("done", done.getString("state"));
        given().auth().oauth2(token()).get("/api/photos/" + good + "/faces").then().body("size()", equalTo(0));
    }
}
