package org.homeward.cases;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.homeward.audit.AuditEvent;
import org.homeward.faces.ModelBundle;
import org.homeward.faces.index.FaceIndex;
import org.homeward.testing.DemoUsers;
import org.homeward.testing.TestImages;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A childhood photo's facts corrected after upload, and a photo taken off its case, through the API with the real
 * worker, database and Keycloak: the projections are drawn again from the corrected age, a refused value changes
 * nothing, another unit cannot touch the photo, and a removed photo's face is no longer searched for the child.
 */
@QuarkusTest
@Tag("shared-app")
class CasePhotoFactsTest {

    @Inject
    FaceIndex index;

    @Inject
    ModelBundle models;

    private static RequestSpecification as(String user) {
        return given().auth().oauth2(DemoUsers.accessToken(user)).contentType("application/json");
    }

    @Test
    void correctedAgeReplansProjectionsAndRemovedPhotoIsNoLongerSearched() throws Exception {
        byte[] portrait = TestImages.debianPortrait(TestImages.GRACE_HOPPER).orElse(null);
        assumeTrue(portrait != null, "SKIPPED: " + TestImages.GRACE_HOPPER + " absent (python-matplotlib-data)");
        long caseId = ((Number) as(DemoUsers.INVESTIGATOR_NORTH)
                .body(Map.of("childName", "Facts Child " + System.nanoTime(), "birthDate", "2012-03-04",
                        "lastSeenDate", "2017-06-01", "sex", "female"))
                .post("/api/cases").then().statusCode(201).extract().path("id")).longValue();
        long photoId = ((Number) as(DemoUsers.INVESTIGATOR_NORTH).contentType("image/png")
                .queryParam("takenOn", "2016-03-04").body(TestImages.unique(portrait, System.nanoTime()))
                .post("/api/cases/" + caseId + "/photos").then().statusCode(201).extract().path("photos[0].photoId"))
                .longValue();
        String photo = "/api/cases/" + caseId + "/photos/" + photoId;

        JsonPath first = projectionsWhen(caseId, s -> s.getList("$").size() == 1 && !s.getList("[0].projections").isEmpty());
        assertEquals(4.0f, first.getFloat("[0].sourceAge"), 0.01f, "age from the birth and photo dates");
        List<Float> targets = first.getList("[0].projections.targetAge", Float.class);
        long faceId = first.getLong("[0].faceId");

        // the date was a guess: the person knows the child was 7 on it
        as(DemoUsers.INVESTIGATOR_NORTH).body(Map.of("ageAtPhoto", 7)).put(photo).then().statusCode(200)
                .body("photos[0].ageAtPhoto", equalTo(7.0f)).body("photos[0].takenOn", equalTo(null));
        JsonPath replanned = projectionsWhen(caseId, s -> s.getList("$").size() == 1 && s.getFloat("[0].sourceAge") == 7.0f
                && !s.getList("[0].projections").isEmpty());
        List<Float> after = replanned.getList("[0].projections.targetAge", Float.class);
        assertEquals(targets.get(targets.size() - 1), after.get(after.size() - 1), "still ends at the child's age today");
        assertTrue(after.stream().allMatch(a -> a > 7), "every projection older than the corrected age: " + after);

        // refused values change nothing and say which field
        as(DemoUsers.INVESTIGATOR_NORTH).body(Map.of("takenOn", "2099-01-01")).put(photo).then().statusCode(422)
                .contentType("application/problem+json").body("errors.takenOn", containsString("future"));
        as(DemoUsers.INVESTIGATOR_NORTH).body(Map.of("ageAtPhoto", 130)).put(photo).then().statusCode(422)
                .body("errors.ageAtPhoto", containsString("between 0 and 119"));
        as(DemoUsers.INVESTIGATOR_NORTH).body(Map.of("takenOn", "2010-01-01")).put(photo).then().statusCode(422)
                .body("errors.takenOn", containsString("before the child was born"));
        as(DemoUsers.INVESTIGATOR_NORTH).get("/api/cases/" + caseId).then().statusCode(200)
                .body("photos[0].ageAtPhoto", equalTo(7.0f));

        // another unit's investigator cannot see the case, so neither change nor removal reaches it
        as(DemoUsers.INVESTIGATOR_SOUTH).body(Map.of("ageAtPhoto", 3)).put(photo).then().statusCode(404);
        as(DemoUsers.INVESTIGATOR_SOUTH).delete(photo).then().statusCode(404);
        as(DemoUsers.INVESTIGATOR_NORTH).body(Map.of("ageAtPhoto", 5))
                .put("/api/cases/" + caseId + "/photos/" + (photoId + 1_000_000)).then().statusCode(404);
        as(DemoUsers.INVESTIGATOR_NORTH).put(photo).then().statusCode(422).body("errors.body", containsString("takenOn"));

        String searchModel = models.searchModelId();
        float[] vector = index.vectorOf(faceId, searchModel).orElseThrow();
        assertTrue(index.caseFaces(searchModel, vector, List.of(caseId)).stream().anyMatch(n -> n.faceId() == faceId),
                "searched before the removal");
        as(DemoUsers.INVESTIGATOR_NORTH).delete(photo).then().statusCode(204);
        as(DemoUsers.INVESTIGATOR_NORTH).get("/api/cases/" + caseId).then().statusCode(200).body("photos.size()", equalTo(0));
        assertTrue(index.caseFaces(searchModel, vector, List.of(caseId)).isEmpty(),
                "the removed photo's face and its projections are no longer searched for the child");
        projectionsWhen(caseId, s -> s.getList("$").isEmpty());

        List<String> actions = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> AuditEvent
                .<AuditEvent>list("objectType = 'case_file' and objectId = ?1", String.valueOf(caseId)).stream().map(e -> e.action).toList());
        assertTrue(actions.contains("case.photo.facts") && actions.contains("case.photo.remove"),
                "the correction and the removal are on the case's trail: " + actions);
    }

    private static JsonPath projectionsWhen(long caseId, Predicate<JsonPath> ready) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 240_000;
        while (true) {
            JsonPath strips = as(DemoUsers.INVESTIGATOR_NORTH).get("/api/cases/" + caseId + "/projections").then()
                    .statusCode(200).extract().jsonPath();
            if (ready.test(strips)) {
                return strips;
            }
            assertTrue(System.currentTimeMillis() < deadline, "projections not as expected in time: " + strips.prettify());
            Thread.sleep(500);
        }
    }
}
