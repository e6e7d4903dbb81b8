package org.homeward.faces;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.homeward.testing.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.homeward.testing.Api;
import org.homeward.testing.DemoUsers;
import org.homeward.testing.DrawnFaces;
import org.homeward.testing.Fgnet;
import org.homeward.testing.TestDatabase;
import org.homeward.testing.TestImages;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A face the detector missed, drawn by a person: through the API with real tokens, the real worker, models and
 * pgvector. The drawn face is indexed like any other, marked and audited, a sighting of the same child finds the
 * case, a re-analysis of the photo keeps it, and a bad box is refused with nothing changed.
 */
@QuarkusTest
@Tag("shared-app")
class FaceDrawingTest {

    static final String NORTH = DemoUsers.INVESTIGATOR_NORTH;

    @Inject
    PhotoFaceJob photoJob;

    @Test
    void drawnFaceIsIndexedMarkedAuditedAndASightingOfTheChildFindsTheCase() throws Exception {
        assumeTrue(Fgnet.present(), "SKIPPED: FG-NET dev data absent");
        Fgnet.Photo missed = DrawnFaces.missed();
        DrawnFaces.MissedCase missedCase = DrawnFaces.caseWithMissedFace(NORTH, "Drawn Face Child");
        long caseId = missedCase.caseId();
        long photoId = missedCase.photoId();
        assertEquals(List.of(), as(NORTH).get("/api/photos/" + photoId + "/faces").then().statusCode(200)
                .extract().jsonPath().getList("$"), "the detector misses this face");

        var response = as(NORTH).body(DrawnFaces.box(missed)).post("/api/photos/" + photoId + "/faces").then()
                .statusCode(202).body("state", equalTo("waiting")).body("drawnBy", equalTo(NORTH)).extract();
        long drawnId = ((Number) response.path("id")).longValue();
        assertTrue(response.header("Location").endsWith("/api/photos/" + photoId + "/drawn-faces/" + drawnId));
        assertEquals("indexed", DrawnFaces.awaitDrawn(NORTH, photoId, drawnId));

        JsonPath faces = as(NORTH).get("/api/photos/" + photoId + "/faces").then().statusCode(200).extract().jsonPath();
        assertEquals(1, faces.getList("$").size());
        assertEquals("drawn", faces.getString("[0].detection"));
        assertTrue(faces.getBoolean("[0].usable"), "the drawn face passes the quality gate: " + faces.getString("[0].qualityReason"));
        assertTrue(faces.getString("[0].detectionNote").contains("drawn by a person"));
        long faceId = faces.getLong("[0].id");
        assertEquals(faceId, as(NORTH).get("/api/photos/" + photoId + "/drawn-faces/" + drawnId).then().extract().jsonPath().getLong("faceId"));

        List<String> photoTrail = TestDatabase.auditActions("photo", photoId);
        assertTrue(photoTrail.contains("face.draw by " + NORTH), photoTrail.toString());
        assertTrue(photoTrail.contains("face.drawn.indexed by system:worker"), photoTrail.toString());

        long sightingPhoto = Api.uploadPhoto(DemoUsers.INVESTIGATOR_SOUTH, DrawnFaces.bytes(DrawnFaces.later()), "image/png");
        assertEquals("done", Api.awaitPhoto(DemoUsers.INVESTIGATOR_SOUTH, sightingPhoto));
        long sighting = Api.createSighting(DemoUsers.INVESTIGATOR_SOUTH, DrawnFaces.SIGHTING_SEEN_ON, List.of(sightingPhoto));
        JsonPath searched = Api.awaitSearch(DemoUsers.INVESTIGATOR_SOUTH, sighting);
        List<Map<String, Object>> candidates = searched.getList("candidates");
        Map<String, Object> hit = candidates.stream().filter(c -> ((Number) c.get("caseId")).longValue() == caseId)
                .findFirst().orElseThrow(() -> new AssertionError("the sighting's search lists the case: " + candidates));
        assertEquals(faceId, ((Number) hit.get("bestFaceId")).longValue(), "found through the drawn face: " + hit);

        // A re-analysis of the photo replaces what the detector found, never what a person drew.
        QuarkusTransaction.requiringNew().run(() -> photoJob.save(photoId, List.of()));
        assertEquals(List.of(faceId), as(NORTH).get("/api/photos/" + photoId + "/faces").then().extract().jsonPath()
                .getList("id", Long.class));
    }

    @Test
    void badBoxesAreRefusedAndNothingChanges() throws Exception {
        long photoId = Api.uploadPhoto(NORTH, TestImages.generated("png", 300, 200, System.nanoTime()), "image/png");
        assertEquals("done", Api.awaitPhoto(NORTH, photoId));
        String path = "/api/photos/" + photoId + "/faces";

        refused(path, box(250, 20, 100, 100), 422, "face-box-outside-photo", "does not lie within the photo");
        refused(path, box(-5, 20, 100, 100), 422, "face-box-outside-photo", "does not lie within the photo");
        refused(path, box(10, 10, 20, 20), 422, "face-box-too-small", "at least 40 x 40");
        refused(path, box(10, 10, 200, 60), 422, "face-box-shape", "about as wide as it is high");
        refused(path, Map.of("x", 10, "y", 10), 400, "face-box-missing", "x, y, width and height");
        as(DemoUsers.INVESTIGATOR_SOUTH).body(box(10, 10, 100, 100)).post(path).then().statusCode(404);
        as(DemoUsers.AUDITOR).body(box(10, 10, 100, 100)).post(path).then().statusCode(403);
        as(NORTH).contentType("text/plain").body("10,10,100,100").post(path).then().statusCode(415);

        assertEquals(List.of(), as(NORTH).get(path).then().statusCode(200).extract().jsonPath().getList("$"));
        assertEquals(List.of(), as(NORTH).get("/api/photos/" + photoId + "/drawn-faces").then().statusCode(200)
                .extract().jsonPath().getList("$"));
        assertFalse(TestDatabase.auditActions("photo", photoId).stream().anyMatch(a -> a.startsWith("face.draw")));
    }

    @Test
    void aBoxOverAFaceAlreadyFoundIsRefused() {
        byte[] hopper = TestImages.debianPortrait(TestImages.GRACE_HOPPER).orElse(null);
        assumeTrue(hopper != null, "SKIPPED: " + TestImages.GRACE_HOPPER + " absent (python-matplotlib-data)");
        long photoId = Api.uploadPhoto(NORTH, TestImages.unique(hopper, System.nanoTime()), "image/png");
        assertEquals("done", Api.awaitPhoto(NORTH, photoId));
        JsonPath face = as(NORTH).get("/api/photos/" + photoId + "/faces").then().extract().jsonPath();
        Map<String, Integer> over = box(face.getInt("[0].x"), face.getInt("[0].y"), face.getInt("[0].width"), face.getInt("[0].height"));
        as(NORTH).body(over).post("/api/photos/" + photoId + "/faces").then().statusCode(409)
                .body("type", equalTo("/problems/face-already-found")).body("detail", startsWith("Face 1 is already there"));
        assertEquals(1, as(NORTH).get("/api/photos/" + photoId + "/faces").then().extract().jsonPath().getList("$").size());
    }

    private static Map<String, Integer> box(int x, int y, int width, int height) {
        Map<String, Integer> box = new HashMap<>();
        box.put("x", x);
        box.put("y", y);
        box.put("width", width);
        box.put("height", height);
        return box;
    }

    private static void refused(String path, Map<String, Integer> box, int status, String type, String detail) {
        as(NORTH).body(box).post(path).then().statusCode(status).contentType(startsWith("application/problem+json"))
                .body("type", equalTo("/problems/" + type)).body("detail", org.hamcrest.Matchers.containsString(detail));
    }
}
