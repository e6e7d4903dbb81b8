package org.homeward.faces;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.homeward.faces.index.FaceIndex;
import org.homeward.faces.index.IndexProgress;
import org.homeward.faces.index.IndexRebuild;
import org.homeward.faces.index.IndexRebuildJob;
import org.homeward.faces.index.IndexStatus;
import org.homeward.testing.Api;
import org.homeward.testing.Browser;
import org.homeward.testing.DemoUsers;
import org.homeward.testing.Scores;
import org.homeward.testing.TestDatabase;
import org.homeward.testing.TestImages;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Faces indexed by an older bundle (only their raw vector, no vector under the search model) are missing from
 * searches, the admin sees them pending, and the worker indexes them in the background until none is left.
 */
@QuarkusTest
@Tag("shared-app")
class IndexRebuildTest {

    /** /q/metrics on the management interface (its own port, root path /q), not next to the pages. */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/metrics", management = true)
    java.net.URL metricsUrl;

    @Inject
    IndexRebuild rebuild;

    @Inject
    IndexProgress progress;

    @Inject
    ModelBundle models;

    @Inject
    FaceIndex index;

    @TestHTTPResource("/")
    URL home;

    @Test
    void facesWithoutASearchVectorAreReindexedByTheWorkerUntilNoneIsPending() throws Exception {
        List<Long> faces = new ArrayList<>();
        List<byte[]> uploads = new ArrayList<>();
        for (var file : List.of(TestImages.GRACE_HOPPER, TestImages.ASTRONAUT)) {
            byte[] portrait = TestImages.debianPortrait(file).orElse(null);
            assumeTrue(portrait != null, "SKIPPED: " + file + " absent (python-matplotlib-data, python3-skimage)");
            uploads.add(TestImages.unique(portrait, System.nanoTime()));
            faces.addAll(ProcessedPhotos.upload(uploads.get(uploads.size() - 1)).usableFaces());
        }
        // The first is also a childhood photo of an open case: the case search must hear when it is searchable again.
        long caseId = ((Number) Api.as(DemoUsers.INVESTIGATOR_NORTH).body(Map.of("childName", "Reindexed Child",
                "birthDate", "2012-03-04", "lastSeenDate", "2019-06-01", "sex", "female")).post("/api/cases")
                .then().statusCode(201).extract().path("id")).longValue();
        Api.as(DemoUsers.INVESTIGATOR_NORTH).contentType("image/png").body(uploads.get(0)).queryParam("takenOn", "2018-01-01")
                .post("/api/cases/" + caseId + "/photos").then().statusCode(201);
        assertEquals(2, faces.size());
        String search = models.searchModelId();
        Map<Long, float[]> before = new HashMap<>();
        for (long face : faces) {
            before.put(face, ProcessedPhotos.storedVectors(face).get(search));
        }

        // An older bundle: the faces have their raw vector only.
        String ids = faces.stream().map(String::valueOf).collect(Collectors.joining(","));
        try (Connection c = TestDatabase.connect(TestDatabase.TEST_DB); Statement s = c.createStatement()) {
            assertEquals(2, s.executeUpdate("DELETE FROM embedding WHERE model_id = '" + search + "' AND face_id IN (" + ids + ")"));
        }
        IndexStatus missing = progress.status();
        assertEquals(search, missing.model());
        assertTrue(missing.pending() >= 2, "pending " + missing.pending());
        assertEquals(missing.faces(), missing.indexed() + missing.pending());
        assertFalse(index.nearest(search, before.get(faces.get(0)), 1000, FaceIndex.Scope.ALL).stream()
                .anyMatch(n -> n.faceId() == faces.get(0)), "a face without a search vector cannot be found");
        given().auth().oauth2(DemoUsers.accessToken(DemoUsers.ADMIN)).get("/api/models/index").then().statusCode(200)
                .body("model", equalTo(search)).body("pending", equalTo((int) missing.pending()));

        int caseSearches = pastSightingSearchesOf(caseId);
        assertTrue(rebuild.plan() >= 2, "both photos queued");
        IndexStatus status = progress.status();
        long deadline = System.currentTimeMillis() + 180_000;
        while (!status.complete()) {
            assertTrue(System.currentTimeMillis() < deadline, "still pending after 3 minutes: " + status);
            Thread.sleep(250);
            status = progress.status();
        }
        assertEquals(status.faces(), status.indexed());
        assertEquals(0, status.failedPhotos());
        while (pastSightingSearchesOf(caseId) == caseSearches) {
            assertTrue(System.currentTimeMillis() < deadline, "the case was not searched against past sightings again");
            Thread.sleep(250);
        }

        for (long face : faces) {
            float[] again = ProcessedPhotos.storedVectors(face).get(search);
            // Cut again from the stored landmarks (kept as 32-bit floats): the same vector to within rounding.
            double cosine = Scores.cosine(before.get(face), again);
            assertTrue(cosine > 0.9999, "face " + face + ": re-indexed vector against the first, cosine " + cosine);
            // Earlier uploads of the same portrait may tie with it: among the nearest, not necessarily first.
            assertTrue(index.nearest(search, again, 100, FaceIndex.Scope.ALL).stream()
                    .anyMatch(n -> n.faceId() == face && n.distance() < 1e-4), "face " + face + " found again");
        }
        try (Connection c = TestDatabase.connect(TestDatabase.TEST_DB); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM job j JOIN face f ON f.photo_id = j.subject_id"
                        + " WHERE j.kind = '" + IndexRebuildJob.KIND + "' AND j.state = 'done' AND f.id IN (" + ids + ")")) {
            rs.next();
            assertEquals(2, rs.getInt(1), "each photo's re-indexing job is done");
        }
        given().auth().oauth2(DemoUsers.accessToken(DemoUsers.ADMIN)).get("/api/models/index").then().statusCode(200)
                .body("pending", equalTo(0)).body("indexed", equalTo((int) status.faces()));
    }

    /** How often the worker has searched past sightings for the case (each run leaves an audit event). */
    private static int pastSightingSearchesOf(long caseId) throws Exception {
        try (Connection c = TestDatabase.connect(TestDatabase.TEST_DB); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM audit_event WHERE action = 'case.search-past-sightings'"
                        + " AND object_type = 'case_file' AND object_id = '" + caseId + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void onlyAdminsSeeTheIndexStatus() {
        given().auth().oauth2(DemoUsers.accessToken(DemoUsers.INVESTIGATOR_NORTH)).get("/api/models/index").then().statusCode(403);
        given().auth().oauth2(DemoUsers.accessToken(DemoUsers.AUDITOR)).get("/api/models/index").then().statusCode(403);
        given().redirects().follow(false).get("/api/models/index").then().statusCode(401);
        given().auth().oauth2(DemoUsers.accessToken(DemoUsers.ADMIN)).get("/api/models/index").then().statusCode(200)
                .body("model", equalTo(models.searchModelId()));
    }

    @Test
    void progressIsExportedAsMetricsTaggedWithTheModel() {
        String metrics = given().get(metricsUrl.toString()).then().statusCode(200).extract().asString();
        for (String name : List.of("homeward_index_faces", "homeward_index_indexed", "homeward_index_pending")) {
            assertTrue(metrics.contains(name + "{model=\"" + models.searchModelId() + "\"}"), name + " missing");
        }
    }

    @Test
    void adminFollowsTheSearchIndexLinkAndSeesTheModelAndItsCounts() throws Exception {
        IndexStatus status = progress.status();
        try (Browser browser = new Browser()) {
            browser.driver.get(home.toString());
            browser.logInAtKeycloak(DemoUsers.ADMIN);
            browser.waitUpTo(30).until(ExpectedConditions.elementToBeClickable(By.linkText("Search index"))).click();
            browser.waitUpTo(30).until(ExpectedConditions.visibilityOfElementLocated(By.id("index-model")));
            browser.screenshot("search-index");
            assertEquals(status.model(), browser.driver.findElement(By.id("index-model")).getText());
            assertEquals(String.valueOf(status.faces()), browser.driver.findElement(By.id("index-faces")).getText());
            // the default model's own partial HNSW index (V12), found by the admin page in the catalogue
            assertEquals("embedding_dlib_v1_transform_v2_hnsw", browser.driver.findElement(By.id("index-hnsw")).getText());
            // the models' self-test as this process ran it, one line per package
            String selfTest = browser.driver.findElement(By.id("selftest-state")).getText();
            assertTrue(selfTest.equals("passed") || selfTest.equals("running"), selfTest);
            if (selfTest.equals("passed")) {
                assertTrue(browser.driver.findElement(By.id("selftest-verdicts")).getText()
                        .contains("PASS dlib-face-detector-mmod: score map max |diff|"));
            }
        }
    }
}
