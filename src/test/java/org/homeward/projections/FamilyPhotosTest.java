package org.homeward.projections;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.homeward.faces.ModelBundle;
import org.homeward.faces.index.EmbeddingKind;
import org.homeward.faces.index.FaceIndex;
import org.homeward.projections.ageing.Resemblance;
import org.homeward.testing.Api;
import org.homeward.testing.Browser;
import org.homeward.testing.DemoUsers;
import org.homeward.testing.TestDatabase;
import org.homeward.testing.TestImages;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * A parent's adult photo on a case, end to end with the real worker, models, database, Keycloak and browser: attached
 * as such through the case page's drop zone,
 * it is never searched and never projected; it steers the images of the child's projections past
 * {@link Resemblance#FROM_AGE} and no younger one, while the vectors searched stay those without it; taking it off the
 * case draws the images again without it. A subject the app does not know is refused and changes nothing.
 */
@QuarkusTest
@Tag("shared-app")
class FamilyPhotosTest {

    @TestHTTPResource("/")
    URL root;

    @Inject
    FaceIndex index;

    @Inject
    ModelBundle models;

    @Test
    void aParentsPhotoSteersTheAdultImagesAndIsNeverSearched() throws Exception {
        byte[] child = ProjectionsWorkflowTest.hopper();
        byte[] parent = TestImages.debianPortrait(TestImages.ASTRONAUT).orElse(null);
        assumeTrue(parent != null, "SKIPPED: " + TestImages.ASTRONAUT + " absent (python3-skimage)");
        long caseId = ProjectionsWorkflowTest.createCase(Map.of("childName", "Family Child " + System.nanoTime(),
                "birthDate", "2000-03-04", "lastSeenDate", "2005-06-01", "sex", "female"));

        ProjectionsWorkflowTest.as(DemoUsers.INVESTIGATOR_NORTH).contentType("image/png").queryParam("shows", "cousin")
                .body(TestImages.unique(parent, System.nanoTime())).post("/api/cases/" + caseId + "/photos").then()
                .statusCode(422).contentType(containsString("application/problem+json")).body("detail", containsString("cousin"));
        assertEquals(0, photos(caseId).getList("photos").size(), "a refused subject stores nothing");

        ProjectionsWorkflowTest.upload(caseId, TestImages.unique(child, System.nanoTime()), Map.of("takenOn", "2004-03-04"));
        // the parent's photo through the case page's drop zone, as a person adds it; a parent's photo may be older than
        // the child, so its date is not checked against the birth
        Path parentFile = Files.createTempFile("parent", ".png");
        Files.write(parentFile, TestImages.unique(parent, System.nanoTime()));
        try (Browser browser = new Browser()) {
            browser.driver.get(root.toString().replaceAll("/$", "") + "/cases/" + caseId);
            browser.logInAtKeycloak(DemoUsers.INVESTIGATOR_NORTH);
            browser.waitUpTo(30).until(ExpectedConditions.presenceOfElementLocated(By.id("file-input"))).sendKeys(parentFile.toString());
            WebElement shows = browser.waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector("#staged-list select[data-field='shows']")));
            new Select(shows).selectByValue("parent");
            browser.script("arguments[0].value = '1990-05-01';", browser.driver.findElement(
                    By.cssSelector("#staged-list input[data-field='takenOn']")));
            browser.screenshot("case-family-photo-staged");
            browser.driver.findElement(By.id("upload-start")).click();
            browser.waitUpTo(240).until(d -> d.findElements(By.cssSelector("figure.photo[data-state='done']")).size() == 2);
            WebElement badge = browser.driver.findElement(By.cssSelector("figure.photo[data-shows='parent'] .relative-badge"));
            assertEquals("a parent, as an adult · not searched", badge.getText());
            browser.screenshots("case-family-photo");
            browser.driver.findElement(By.cssSelector("figure.photo[data-shows='parent'] a.photo-frame")).click();
            WebElement note = browser.waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(By.id("relative-note")));
            assertTrue(note.getText().contains("never searched"), note.getText());
            assertEquals("parent", new Select(browser.driver.findElement(By.id("facts-shows"))).getFirstSelectedOption()
                    .getAttribute("value"));
            browser.screenshots("case-family-photo-page");
        } finally {
            Files.deleteIfExists(parentFile);
        }
        JsonPath detail = photosDone(caseId);
        assertEquals(List.of("child", "parent"), detail.getList("photos.shows"));
        assertNotNull(detail.get("photos[0].searchedFaceId"), "the child's face is searched");
        assertNull(detail.get("photos[1].searchedFaceId"), "the parent's face is not");
        long parentFace = detail.getLong("photos[1].faces[0].id");
        long childFace = detail.getLong("photos[0].searchedFaceId");

        JsonPath strips = steered(caseId, true);
        assertEquals(1, strips.getList("$").size(), "one strip: the child's face; the parent's is not projected");
        assertEquals(childFace, strips.getLong("[0].faceId"));
        List<Map<String, Object>> projections = strips.getList("[0].projections");
        Map<Float, String> images = new HashMap<>();
        for (Map<String, Object> p : projections) {
            float age = ((Number) p.get("targetAge")).floatValue();
            assertEquals(Resemblance.reaches(age), p.get("steered"), "steered past " + Resemblance.FROM_AGE + " only: " + p);
            images.put(age, imageOf(caseId, ((Number) p.get("id")).longValue()));
        }

        // the sighting search's scope holds the child's face and its projections, never the parent's face
        String searchModel = models.searchModelId();
        float[] parentVector = index.vectorOf(parentFace, searchModel).orElseThrow();
        List<FaceIndex.Neighbour> scope = index.caseFaces(searchModel, parentVector, List.of(caseId));
        assertFalse(scope.isEmpty());
        assertTrue(scope.stream().allMatch(n -> n.faceId() == childFace), "only the child's face is in the case's scope: " + scope);
        Map<Float, float[]> vectors = projectionVectors(childFace, searchModel);

        try (Browser browser = new Browser()) {
            browser.driver.get(root.toString().replaceAll("/$", "") + "/cases/" + caseId + "#projections");
            browser.logInAtKeycloak(DemoUsers.INVESTIGATOR_NORTH);
            WebElement said = browser.waitUpTo(30).until(ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector(".projection-steered")));
            assertTrue(said.getText().startsWith("From age 14, the image takes after the relatives"), said.getText());
            browser.screenshots("case-family-projections");
            // the poster says it too, beside how the projections were made
            browser.driver.get(root.toString().replaceAll("/$", "") + "/cases/" + caseId + "/projections/sheet");
            WebElement sheet = browser.waitUpTo(30).until(ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector(".sheet-steered")));
            assertTrue(sheet.getText().startsWith("From age 14 the face also takes after adult photos of the child's close"),
                    sheet.getText());
            browser.screenshots("case-family-sheet");
        }

        // who a photo shows is corrected like its date; a subject the app does not know is refused
        String relativePhoto = "/api/cases/" + caseId + "/photos/" + detail.getLong("photos[1].photoId");
        ProjectionsWorkflowTest.as(DemoUsers.INVESTIGATOR_NORTH).body(Map.of("shows", "cousin")).put(relativePhoto).then()
                .statusCode(422).body("detail", containsString("cousin"));
        ProjectionsWorkflowTest.as(DemoUsers.INVESTIGATOR_NORTH).body(Map.of("takenOn", "1990-05-01", "shows", "sibling"))
                .put(relativePhoto).then().statusCode(200).body("photos[1].shows", equalTo("sibling"));

        // the parent's photo taken off the case: the adult images are drawn again without it, the vectors stay
        ProjectionsWorkflowTest.as(DemoUsers.INVESTIGATOR_NORTH).delete("/api/cases/" + caseId + "/photos/"
                + detail.getLong("photos[1].photoId")).then().statusCode(204);
        JsonPath plain = steered(caseId, false);
        for (Map<String, Object> p : plain.<Map<String, Object>>getList("[0].projections")) {
            float age = ((Number) p.get("targetAge")).floatValue();
            String image = imageOf(caseId, ((Number) p.get("id")).longValue());
            if (Resemblance.reaches(age)) {
                assertNotEquals(images.get(age), image, "the image at " + age + " no longer takes after the parent");
            } else {
                assertEquals(images.get(age), image, "the image at " + age + " never did");
            }
        }
        Map<Float, float[]> after = projectionVectors(childFace, searchModel);
        assertEquals(vectors.keySet(), after.keySet());
        // the same images embedded again, in batches of another size: equal to float rounding
        vectors.forEach((age, v) -> assertArrayEquals(v, after.get(age), 1e-5f, "the searched vector at " + age
                + " never took after the parent"));
    }

    private static JsonPath photos(long caseId) {
        return ProjectionsWorkflowTest.as(DemoUsers.INVESTIGATOR_NORTH).get("/api/cases/" + caseId).then().statusCode(200)
                .extract().jsonPath();
    }

    private static JsonPath photosDone(long caseId) {
        long deadline = System.currentTimeMillis() + 180_000;
        while (true) {
            JsonPath detail = photos(caseId);
            if (detail.getList("photos.state").stream().allMatch("done"::equals)) {
                return detail;
            }
            assertTrue(System.currentTimeMillis() < deadline, "photos not analysed in time: " + detail.getList("photos.state"));
            Api.sleep(500);
        }
    }

    /** The case's strips once its adult projections are (or are no longer) steered. */
    private static JsonPath steered(long caseId, boolean steered) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 240_000;
        while (true) {
            JsonPath strips = Api.projectionsDecided(caseId, 1);
            List<Map<String, Object>> adult = strips.<Map<String, Object>>getList("[0].projections").stream()
                    .filter(p -> Resemblance.reaches(((Number) p.get("targetAge")).doubleValue())).toList();
            assumeTrue(strips.get("[0].reason") == null, "the child's face cannot be projected: " + strips.get("[0].reason"));
            if (!adult.isEmpty() && adult.stream().allMatch(p -> steered == (Boolean) p.get("steered"))) {
                return strips;
            }
            assertTrue(System.currentTimeMillis() < deadline, "adult projections not " + (steered ? "" : "un") + "steered in time");
            Thread.sleep(500);
        }
    }

    private static String imageOf(long caseId, long projectionId) {
        byte[] png = ProjectionsWorkflowTest.as(DemoUsers.INVESTIGATOR_NORTH).get("/api/cases/" + caseId + "/projections/"
                + projectionId + "/image").then().statusCode(200).extract().asByteArray();
        return HexFormat.of().formatHex(sha256(png));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The face's projection vectors under {@code modelId}, by the age they show. */
    private static Map<Float, float[]> projectionVectors(long faceId, String modelId) throws Exception {
        Map<Float, float[]> out = new HashMap<>();
        try (Connection c = TestDatabase.connect(TestDatabase.TEST_DB); PreparedStatement st = c.prepareStatement(
                "SELECT shows_age, vector::text FROM embedding WHERE face_id = ? AND kind = ? AND model_id = ?")) {
            st.setLong(1, faceId);
            st.setString(2, EmbeddingKind.PROJECTION.stored());
            st.setString(3, modelId);
            try (ResultSet r = st.executeQuery()) {
                while (r.next()) {
                    String text = r.getString(2);
                    String[] parts = text.substring(1, text.length() - 1).split(",");
                    float[] v = new float[parts.length];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = Float.parseFloat(parts[i]);
                    }
                    out.put(r.getFloat(1), v);
                }
            }
        }
        assertFalse(out.isEmpty(), "projection vectors of face " + faceId);
        return out;
    }
}
