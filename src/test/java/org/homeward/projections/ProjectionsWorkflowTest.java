package org.homeward.projections;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.homeward.faces.ModelBundle;
import org.homeward.faces.index.FaceIndex;
import org.homeward.faces.pipeline.FacePipeline;
import org.homeward.faces.pipeline.FoundFace;
import org.homeward.projections.ageing.PrototypePackage;
import org.homeward.projections.ageing.PrototypeProjector;
import org.homeward.projections.imaging.ProjectionFrame;
import org.homeward.testing.Api;
import org.homeward.testing.Browser;
import org.homeward.testing.DemoUsers;
import org.homeward.testing.TestDatabase;
import org.homeward.testing.TestImages;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A childhood photo on a case becomes aged-up projections end to end, with the real worker, models, database,
 * Keycloak and browser: drawn, stored, embedded and indexed as kind 'projection' beside the original, listed by
 * the API and shown on the case page with their label; faces that cannot be projected say why.
 */
@QuarkusTest
@Tag("shared-app")
class ProjectionsWorkflowTest {

    @TestHTTPResource("/")
    URL root;

    @Inject
    FaceIndex index;

    @Inject
    FacePipeline pipeline;

    @Inject
    ProjectionCheck check;

    @Inject
    ModelBundle models;

    static RequestSpecification as(String user) {
        return given().auth().oauth2(DemoUsers.accessToken(user)).contentType("application/json");
    }

    static long createCase(Map<String, Object> fields) {
        return ((Number) as(DemoUsers.INVESTIGATOR_NORTH).body(fields).post("/api/cases").then().statusCode(201)
                .extract().path("id")).longValue();
    }

    static void upload(long caseId, byte[] photo, Map<String, Object> query) {
        as(DemoUsers.INVESTIGATOR_NORTH).contentType("image/png").queryParams(query).body(photo)
                .post("/api/cases/" + caseId + "/photos").then().statusCode(201);
    }

    static byte[] hopper() {
        byte[] portrait = TestImages.debianPortrait(TestImages.GRACE_HOPPER).orElse(null);
        assumeTrue(portrait != null, "SKIPPED: " + TestImages.GRACE_HOPPER + " absent (python-matplotlib-data)");
        return portrait;
    }

    @Test
    void aChildhoodPhotoGetsProjectionsStoredIndexedAndShownOnTheCasePage() throws Exception {
        LocalDate born = LocalDate.of(2012, 3, 4);
        long caseId = createCase(Map.of("childName", "Projection Child " + System.nanoTime(), "birthDate", born.toString(),
                "lastSeenDate", "2017-06-01", "sex", "female"));
        upload(caseId, TestImages.unique(hopper(), System.nanoTime()), Map.of("takenOn", "2016-03-04"));

        JsonPath strips = Api.projectionsDecided(caseId, 1);
        assertNull(strips.get("[0].reason"), "projected, no reason");
        assertEquals(4.0f, strips.getFloat("[0].sourceAge"), 0.01f, "age at the photo from the birth and photo dates");
        List<Float> ages = strips.getList("[0].projections.targetAge", Float.class);
        int now = Period.between(born, LocalDate.now(ZoneOffset.UTC)).getYears();
        assertEquals(now, ages.get(ages.size() - 1), 0.001, "the last projection shows the child's age today");
        for (float a : ages.subList(0, ages.size() - 1)) {
            assertTrue((a <= 18 ? a % 2 == 0 : a % 5 == 0) && a >= 6 && a <= now - 2,
                    "in-between ages every 2 years to 18, every 5 after: " + ages);
        }
        assertTrue(ages.size() >= 2, "projections at 6 and today at least: " + ages);
        assertEquals(PrototypePackage.NAME, strips.getString("[0].projections[0].modelId"));
        assertEquals(PrototypeProjector.METHOD, strips.getString("[0].projections[0].method"));

        // indexed beside the original, on the source face, showing each target age, under the search's model
        long faceId = strips.getLong("[0].faceId");
        Map<String, TreeSet<Float>> stored = projectionEmbeddings(faceId);
        assertEquals(new TreeSet<>(ages), stored.get(ModelBundle.EMBEDDER), "one vector per projection: " + stored);
        String searchModel = models.searchModelId();
        assertEquals(new TreeSet<>(ages), stored.get(searchModel), "and under the search's model id " + searchModel);
        float[] original = index.vectorOf(faceId, searchModel).orElseThrow();
        List<FaceIndex.Neighbour> searched = index.caseFaces(searchModel, original, List.of(caseId));
        assertEquals(ages.size(), searched.stream().filter(n -> n.kind() == org.homeward.faces.index.EmbeddingKind.PROJECTION).count(),
                "the sighting search's case scope sees every projection");
        float[] raw = index.vectorOf(faceId, ModelBundle.EMBEDDER).orElseThrow();
        double nearestProjection = index.caseFaces(ModelBundle.EMBEDDER, raw, List.of(caseId)).stream()
                .filter(n -> n.kind() == org.homeward.faces.index.EmbeddingKind.PROJECTION).mapToDouble(FaceIndex.Neighbour::distance).min().orElseThrow();
        assertTrue(nearestProjection < 0.1, "a projection stays close to the face it came from: " + nearestProjection);

        long projectionId = strips.getLong("[0].projections[0].id");
        byte[] png = as(DemoUsers.INVESTIGATOR_NORTH).get("/api/cases/" + caseId + "/projections/" + projectionId + "/image")
                .then().statusCode(200).contentType("image/png").extract().asByteArray();
        assertEquals(ProjectionFrame.DEFAULT.size(), ImageIO.read(new ByteArrayInputStream(png)).getWidth());
        as(DemoUsers.INVESTIGATOR_SOUTH).get("/api/cases/" + caseId + "/projections/" + projectionId + "/image").then()
                .statusCode(404);
        as(DemoUsers.INVESTIGATOR_SOUTH).get("/api/cases/" + caseId + "/projections").then().statusCode(404);

        // other tests' cases in the shared database may be due (a birthday moves "the age today"): this one is not
        assertFalse(check.outOfDate(caseId), "the daily check finds nothing due right after the job");
        // a status lost (as after a crash between the job's parts): the daily check sees it and queues the job again
        try (java.sql.Connection c = TestDatabase.connect(TestDatabase.TEST_DB); java.sql.Statement st = c.createStatement()) {
            st.execute("DELETE FROM projection_status WHERE case_id = " + caseId);
        }
        assertTrue(check.outOfDate(caseId));
        assertTrue(check.check() >= 1, "the check queues the case's job");
        long until = System.currentTimeMillis() + 120_000;
        while (check.outOfDate(caseId)) {
            assertTrue(System.currentTimeMillis() < until, "the queued job brings the case up to date");
            Thread.sleep(500);
        }
        try (Browser browser = new Browser()) {
            browser.driver.get(root.toString().replaceAll("/$", "") + "/cases/" + caseId);
            browser.logInAtKeycloak(DemoUsers.INVESTIGATOR_NORTH);
            WebElement warning = browser.waitUpTo(60).until(ExpectedConditions.visibilityOfElementLocated(By.id("projection-warning")));
            assertTrue(warning.getText().contains("Computer projection, not a photograph"), warning.getText());
            List<WebElement> figures = browser.driver.findElements(By.cssSelector("#projections figure.projection"));
            List<String> shown = figures.stream().map(f -> f.getAttribute("data-age")).toList();
            assertEquals(ages.stream().map(a -> Integer.toString(Math.round(a))).toList(), shown);
            for (WebElement f : figures) {
                assertTrue(f.getText().contains("Computer projection, not a photograph"), f.getText());
                WebElement img = f.findElement(By.tagName("img"));
                ((JavascriptExecutor) browser.driver).executeScript("arguments[0].scrollIntoView()", img);
                browser.waitUpTo(30).until(d -> (Boolean) ((JavascriptExecutor) d)
                        .executeScript("return arguments[0].complete && arguments[0].naturalWidth > 0", img));
            }
            assertFalse(browser.driver.findElements(By.cssSelector("#projections .projection-source img")).isEmpty(),
                    "the face as photographed starts the strip");
            browser.screenshot("case-projections");

            // A projection opens large (at least 256 px) beside the face as photographed, still said to be no photograph.
            WebElement first = browser.driver.findElement(By.cssSelector(".projection-open"));
            ((JavascriptExecutor) browser.driver).executeScript("arguments[0].scrollIntoView()", first);
            first.click();
            browser.waitUpTo(10).until(d -> Boolean.TRUE.equals(browser.script(
                    "return document.getElementById('projection-compare').open;")));
            browser.waitUpTo(10).until(d -> Boolean.TRUE.equals(browser.script(
                    "const a = document.getElementById('compare-source'), b = document.getElementById('compare-projection');"
                            + " return a.complete && a.naturalWidth > 0 && b.complete && b.naturalWidth > 0;")));
            String compared = browser.driver.findElement(By.id("projection-compare")).getText();
            assertTrue(compared.contains("Computer projection, not a photograph") && compared.contains("photo, age 4")
                    && compared.contains("age " + shown.get(0)), compared);
            double width = ((Number) browser.script(
                    "return document.getElementById('compare-projection').getBoundingClientRect().width;")).doubleValue();
            assertTrue(width >= 256, "the enlarged projection is " + width + " px wide");
            browser.screenshots("projection-compare");
            browser.driver.findElement(By.id("projection-compare-close")).click();
            browser.waitUpTo(10).until(d -> Boolean.FALSE.equals(browser.script(
                    "return document.getElementById('projection-compare').open;")));

            // The age-progression sheet for a poster: the photo and every projection with its age, said to be no photograph.
            browser.driver.findElement(By.id("projection-sheet")).click();
            WebElement sheetWarning = browser.waitUpTo(30).until(ExpectedConditions.visibilityOfElementLocated(By.id("sheet-warning")));
            assertTrue(sheetWarning.getText().startsWith("Computer projections, not photographs."), sheetWarning.getText());
            assertEquals(ages.stream().map(a -> Integer.toString(Math.round(a))).toList(),
                    browser.driver.findElements(By.cssSelector("figure.sheet-projection")).stream()
                            .map(f -> f.getAttribute("data-age")).toList(), "every projection on the sheet, youngest first");
            assertEquals(1, browser.driver.findElements(By.cssSelector("figure.sheet-source img")).size(), "and the photo");
            for (WebElement img : browser.driver.findElements(By.cssSelector(".sheet-faces img"))) {
                browser.waitUpTo(30).until(d -> (Boolean) ((JavascriptExecutor) d)
                        .executeScript("return arguments[0].complete && arguments[0].naturalWidth > 0", img));
            }
            assertTrue(browser.driver.findElements(By.cssSelector("[onclick]")).isEmpty(), "printed by its script, not inline");
            browser.screenshots("projection-sheet");
        }
        assertTrue(TestDatabase.auditActions("case_file", caseId).stream().anyMatch(a -> a.startsWith("case.projections.sheet")),
                "printing the sheet is on the case's trail");
    }

    @Test
    void withoutADateOfBirthOnlyAPhotoWithAGivenAgeIsProjected() throws Exception {
        long caseId = createCase(Map.of("childName", "Undated Child " + System.nanoTime(), "lastSeenDate", "2018-01-01"));
        upload(caseId, TestImages.unique(hopper(), System.nanoTime()), Map.of("takenOn", "2015-05-01"));
        upload(caseId, TestImages.unique(hopper(), System.nanoTime() + 1), Map.of("takenOn", "2015-05-01", "ageAtPhoto", 5));

        JsonPath strips = Api.projectionsDecided(caseId, 2);
        Map<String, Object> undated = null;
        Map<String, Object> given = null;
        for (Map<String, Object> s : strips.<Map<String, Object>>getList("$")) {
            if (s.get("reason") != null) {
                undated = s;
            } else {
                given = s;
            }
        }
        assertNotNull(undated, "the photo with no age has a reason: " + strips.prettify());
        assertTrue(((String) undated.get("reason")).contains("age in this photo is unknown"), (String) undated.get("reason"));
        assertTrue(((List<?>) undated.get("projections")).isEmpty());
        assertTrue(projectionEmbeddings(((Number) undated.get("faceId")).longValue()).isEmpty(), "nothing indexed for it");
        assertNotNull(given, "the photo with a given age is projected");
        assertEquals(5.0, ((Number) given.get("sourceAge")).doubleValue(), 1e-6);
        assertFalse(((List<?>) given.get("projections")).isEmpty());
    }

    @Test
    void aFaceTooSmallToProjectGetsNoProjectionAndSaysWhy() throws Exception {
        // the detector finds faces down to about 26 px between the eyes; projections need 32
        byte[] small = shrunkUntilEyesAre(hopper(), 28);
        assertNotNull(small, "the pipeline finds a usable face on the portrait shrunk to 28 px between the eyes");
        long caseId = createCase(Map.of("childName", "Small Face Child " + System.nanoTime(), "birthDate", "2010-01-01"));
        upload(caseId, small, Map.of("takenOn", "2014-01-01"));
        JsonPath strips = Api.projectionsDecided(caseId, 1);
        String reason = strips.getString("[0].reason");
        assertTrue(reason.startsWith("face too small to project"), reason);
        assertTrue(strips.getList("[0].projections").isEmpty());
    }

    /** The portrait scaled so its eyes are about {@code eyes} px apart, if the pipeline still finds a usable face there. */
    private byte[] shrunkUntilEyesAre(byte[] portrait, double eyes) throws Exception {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(portrait));
        FoundFace face = pipeline.analyse(image).get(0);
        double scale = eyes / face.landmarks().interOcular();
        BufferedImage small = new BufferedImage((int) (image.getWidth() * scale), (int) (image.getHeight() * scale),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = small.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(image, 0, 0, small.getWidth(), small.getHeight(), null);
        g.dispose();
        small.setRGB(0, 0, (int) (System.nanoTime() & 0xffffff));
        List<FoundFace> found = pipeline.analyse(small);
        if (found.isEmpty() || !found.get(0).quality().usable() || found.get(0).landmarks().interOcular() >= 32) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(small, "png", out);
        return out.toByteArray();
    }

    /** The ages of the face's projection vectors, per model id. */
    static Map<String, TreeSet<Float>> projectionEmbeddings(long faceId) throws Exception {
        Map<String, TreeSet<Float>> out = new HashMap<>();
        try (var c = TestDatabase.connect(TestDatabase.TEST_DB); var s = c.prepareStatement(
                "SELECT model_id, shows_age FROM embedding WHERE face_id = ? AND kind = 'projection'")) {
            s.setLong(1, faceId);
            try (var rs = s.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new TreeSet<>()).add(rs.getFloat(2));
                }
            }
        }
        return out;
    }
}
