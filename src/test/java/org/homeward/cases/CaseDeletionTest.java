package org.homeward.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.homeward.testing.Api;
import org.homeward.testing.DemoUsers;
import org.homeward.testing.TestDatabase;
import org.homeward.testing.TestImages;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Deleting a case removes what only it holds and keeps photos that others use: bytes that another unit's
 * sighting also carries must neither block the deletion nor be taken from that sighting.
 */
@QuarkusTest
@Tag("shared-app")
class CaseDeletionTest {

    private static final String NORTH = DemoUsers.INVESTIGATOR_NORTH;
    private static final String SOUTH = DemoUsers.INVESTIGATOR_SOUTH;
    private static final Path STORE = Path.of("target/test-photos");

    @Test
    void deletingACaseKeepsAPhotoASightingUsesAndRemovesTheRest() throws SQLException {
        Optional<byte[]> portrait = TestImages.debianPortrait(TestImages.GRACE_HOPPER);
        assumeTrue(portrait.isPresent(), "SKIPPED: " + TestImages.GRACE_HOPPER + " absent (python-matplotlib-data)");
        byte[] shared = TestImages.unique(portrait.get(), System.nanoTime());

        // Another unit records a sighting with these bytes first.
        long sharedPhoto = Api.uploadPhoto(SOUTH, shared, "image/png");
        assertEquals("done", Api.awaitPhoto(SOUTH, sharedPhoto));
        long sighting = Api.createSighting(SOUTH, "2024-05-01", List.of(sharedPhoto));

        // A north case holds the same bytes, and a photo of its own.
        Map<String, Object> body = new HashMap<>(Map.of("childName", "Deleted Child", "birthDate", "2010-01-01",
                "lastSeenDate", "2015-01-01", "sex", "female"));
        long caseId = ((Number) Api.as(NORTH).body(body).post("/api/cases").then().statusCode(201)
                .extract().path("id")).longValue();
        long ownPhoto = attach(caseId, TestImages.generated("png", 160, 120, System.nanoTime()));
        assertEquals(sharedPhoto, attach(caseId, shared), "the same bytes are the same photo");
        String ownSha = Api.as(NORTH).get("/api/photos/" + ownPhoto).then().statusCode(200).extract().path("sha256");
        assertTrue(Files.exists(file(ownSha)));

        Api.as(DemoUsers.ADMIN).queryParam("reason", "test: shared photo").delete("/api/cases/" + caseId)
                .then().statusCode(204);

        Api.as(DemoUsers.ADMIN).get("/api/cases/" + caseId).then().statusCode(404);
        assertEquals(0, count("SELECT count(*) FROM photo WHERE id = " + ownPhoto), "the case's own photo is gone");
        assertFalse(Files.exists(file(ownSha)), "and its file");
        assertEquals(1, count("SELECT count(*) FROM photo WHERE id = " + sharedPhoto), "the shared photo stays");
        Api.as(SOUTH).get("/api/photos/" + sharedPhoto + "/content").then().statusCode(200);
        List<Number> photoIds = Api.as(SOUTH).get("/api/sightings/" + sighting).then().statusCode(200)
                .extract().jsonPath().getList("photos.photoId");
        assertEquals(List.of(sharedPhoto), photoIds.stream().map(Number::longValue).toList(), "the sighting keeps it");
    }

    /**
     * Someone of another unit uploaded the same bytes on their own (not yet in a case or sighting): deleting the case
     * leaves them their upload, and takes the photo from the case's people.
     */
    @Test
    void deletingACaseKeepsAnotherPersonsOwnUploadOfTheSameBytes() throws SQLException {
        byte[] png = TestImages.generated("png", 150, 110, System.nanoTime());
        Map<String, Object> body = new HashMap<>(Map.of("childName", "Deleted Child Two", "birthDate", "2011-01-01",
                "lastSeenDate", "2016-01-01", "sex", "male"));
        long caseId = ((Number) Api.as(NORTH).body(body).post("/api/cases").then().statusCode(201)
                .extract().path("id")).longValue();
        long photo = attach(caseId, png);
        assertEquals(photo, Api.uploadPhoto(SOUTH, png, "image/png"), "south sends the same bytes: the same photo");
        String sha = Api.as(SOUTH).get("/api/photos/" + photo).then().statusCode(200).extract().path("sha256");

        Api.as(DemoUsers.ADMIN).queryParam("reason", "test: someone else's upload").delete("/api/cases/" + caseId)
                .then().statusCode(204);

        assertEquals(1, count("SELECT count(*) FROM photo WHERE id = " + photo), "south's upload stays");
        assertTrue(Files.exists(file(sha)), "with its file");
        Api.as(SOUTH).get("/api/photos/" + photo).then().statusCode(200)
                .body("uploadedBy", org.hamcrest.Matchers.equalTo(SOUTH));
        Api.as(SOUTH).get("/api/photos/" + photo + "/content").then().statusCode(200);
        Api.as(NORTH).get("/api/photos/" + photo).then().statusCode(404);
        assertEquals(0, count("SELECT count(*) FROM photo_upload WHERE photo_id = " + photo + " AND username = '"
                + NORTH + "'"), "the case's people no longer hold it");
    }

    private static long attach(long caseId, byte[] png) {
        List<Map<String, Object>> photos = Api.as(NORTH).contentType("image/png").body(png)
                .post("/api/cases/" + caseId + "/photos").then().statusCode(201).extract().jsonPath().getList("photos");
        return ((Number) photos.get(photos.size() - 1).get("photoId")).longValue();
    }

    private static Path file(String sha256) {
        return STORE.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2, 4)).resolve(sha256);
    }

    private static long count(String sql) throws SQLException {
        try (var c = TestDatabase.connect(TestDatabase.TEST_DB); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
