package org.homeward.faces;

import static org.homeward.testing.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.homeward.testing.Api;
import org.homeward.testing.Browser;
import org.homeward.testing.DemoUsers;
import org.homeward.testing.DrawnFaces;
import org.homeward.testing.Fgnet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * An investigator draws, with the mouse, the face the detector missed on a childhood photo, in headless Chromium
 * against the real Keycloak, database, worker and models; the face appears marked as drawn; a sighting of the same
 * child then finds the case, and the candidate page compares the faces large, aligned, side by side and overlaid.
 * Screenshots at 1366 and 820 px wide go to target/screenshots (faces-*.png).
 */
@QuarkusTest
@Tag("shared-app")
class FaceDrawingBrowserTest {

    static final String NORTH = DemoUsers.INVESTIGATOR_NORTH;

    @TestHTTPResource("/")
    URL root;

    private String url(String path) {
        return root.toString().replaceAll("/$", "") + path;
    }

    @Test
    void investigatorDrawsTheMissedFaceAndComparesTheCandidate() throws Exception {
        assumeTrue(Fgnet.present(), "SKIPPED: FG-NET dev data absent");
        Fgnet.Photo missed = DrawnFaces.missed();
        DrawnFaces.MissedCase missedCase = DrawnFaces.caseWithMissedFace(NORTH, "Browser Drawn Child");
        long caseId = missedCase.caseId();
        long photoId = missedCase.photoId();

        try (Browser browser = new Browser()) {
            browser.driver.get(url("/cases/" + caseId + "/photos/" + photoId));
            browser.logInAtKeycloak(NORTH);
            WebElement notice = browser.waitUpTo(30).until(ExpectedConditions.visibilityOfElementLocated(By.id("no-face")));
            assertTrue(notice.getText().contains("The detector found no face on it"), notice.getText());
            browser.screenshots("faces-photo-no-face");

            // Too small a box: said on the page before anything is sent.
            drag(browser, 10, 10, 20, 20);
            WebElement error = browser.driver.findElement(By.id("draw-error"));
            assertTrue(error.isDisplayed() && error.getText().contains("at least 40"), "error: '" + error.getText() + "' "
                    + js(browser, "return [document.getElementById('draw-start').textContent, document.getElementById('draw-box').hidden,"
                    + " document.getElementById('draw-box').style.width, document.getElementById('draw-form').hidden,"
                    + " document.getElementById('draw-size').textContent].join(' | ');"));

            // A box outside the photo, sent anyway: the server refuses it in words, and nothing is stored.
            js(browser, "document.getElementById('draw-x').value = 300; document.getElementById('draw-y').value = 10;"
                    + "document.getElementById('draw-width').value = 100; document.getElementById('draw-height').value = 100;"
                    + "document.getElementById('draw-form').submit();");
            WebElement message = browser.waitUpTo(30).until(ExpectedConditions.visibilityOfElementLocated(By.id("page-message")));
            assertTrue(message.getText().contains("does not lie within the photo"), message.getText());
            assertEquals(List.of(), as(NORTH).get("/api/photos/" + photoId + "/drawn-faces").then().extract().jsonPath().getList("$"));

            Map<String, Integer> box = DrawnFaces.box(missed);
            drag(browser, box.get("x"), box.get("y"), box.get("width"), box.get("height"));
            WebElement submit = browser.waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("draw-submit")));
            browser.screenshot("faces-photo-box-drawn-1280");
            submit.click();
            browser.waitUpTo(30).until(ExpectedConditions.visibilityOfElementLocated(By.id("page-note")));
            WebElement drawn = browser.waitUpTo(180).until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#face-list li[data-detection='drawn']")));
            assertTrue(drawn.getText().contains("drawn by a person") && drawn.getText().contains("searched as the child"),
                    drawn.getText());
            browser.screenshots("faces-photo-drawn");

            browser.driver.get(url("/cases/" + caseId));
            browser.waitUpTo(30).until(ExpectedConditions.visibilityOfElementLocated(By.id("photos")));
            browser.screenshots("faces-case-page");

            long sightingPhoto = Api.uploadPhoto(NORTH, DrawnFaces.bytes(DrawnFaces.later()), "image/png");
            assertEquals("done", Api.awaitPhoto(NORTH, sightingPhoto));
            long sighting = Api.createSighting(NORTH, DrawnFaces.SIGHTING_SEEN_ON, List.of(sightingPhoto));
            JsonPath searched = Api.awaitSearch(NORTH, sighting);
            long candidate = searched.<Map<String, Object>>getList("candidates").stream()
                    .filter(c -> ((Number) c.get("caseId")).longValue() == caseId)
                    .mapToLong(c -> ((Number) c.get("id")).longValue()).findFirst().orElseThrow();

            browser.driver.get(url("/candidates/" + candidate));
            browser.waitUpTo(30).until(ExpectedConditions.visibilityOfElementLocated(By.id("compare-stage")));
            assertTrue(loaded(browser, "compare-sighting") && loaded(browser, "compare-case"), "both aligned faces load");
            Number width = (Number) js(browser, "return document.getElementById('compare-case').getBoundingClientRect().width;");
            assertTrue(width.doubleValue() >= 300, "the faces are shown large: " + width);
            browser.screenshots("faces-candidate");
            browser.driver.findElement(By.cssSelector(".view-mode[data-mode='overlay']")).click();
            assertTrue(browser.driver.findElement(By.id("overlay-view")).isDisplayed(), "the overlay view shows");
            browser.screenshots("faces-candidate-overlay");
            browser.driver.findElement(By.cssSelector(".view-mode[data-mode='side']")).click();
            browser.driver.findElement(By.id("compare-sighting")).click();
            assertTrue(browser.driver.findElement(By.id("zoom")).isDisplayed(), "a click zooms the face");
            browser.driver.findElement(By.id("zoom-close")).click();

            for (String page : List.of("/cases", "/sightings", "/candidates")) {
                browser.driver.get(url(page));
                browser.waitUpTo(30).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("table.cases")));
                assertTrue(!browser.driver.findElements(By.cssSelector("table.cases img.thumb")).isEmpty(), page + " shows faces");
                browser.screenshots("faces-list" + page.replace('/', '-'));
            }
        }
    }

    /** Drags a box on the photo from (x, y), width x height in the photo's pixels, as a person does with the mouse. */
    private static void drag(Browser browser, int x, int y, int width, int height) {
        browser.driver.findElement(By.id("draw-start")).click();
        WebElement stage = browser.driver.findElement(By.id("draw-stage"));
        // The photo wholly in view, so that the pointer's origin, the centre of its visible part, is its centre.
        @SuppressWarnings("unchecked")
        Map<String, Object> rect = (Map<String, Object>) js(browser, "const s = document.getElementById('draw-stage');"
                + " s.scrollIntoView({block: 'center'}); const r = s.getBoundingClientRect();"
                + " return {x: r.left, y: r.top, w: r.width, h: r.height, vw: innerWidth, vh: innerHeight};");
        double w = ((Number) rect.get("w")).doubleValue();
        double h = ((Number) rect.get("h")).doubleValue();
        double scale = w / Integer.parseInt(stage.getAttribute("data-width"));
        try {
            new Actions(browser.driver)
                    .moveToElement(stage, (int) Math.round(x * scale - w / 2), (int) Math.round(y * scale - h / 2)).clickAndHold()
                    .moveByOffset((int) Math.round(width * scale / 2), (int) Math.round(height * scale / 2))
                    .moveByOffset((int) Math.round(width * scale / 2), (int) Math.round(height * scale / 2))
                    .release().perform();
        } catch (RuntimeException e) {
            throw new AssertionError("drag over the photo at " + rect + " failed", e);
        }
    }

    private static boolean loaded(Browser browser, String id) {
        return browser.waitUpTo(30).until(d -> (Boolean) js(browser,
                "const i = document.getElementById('" + id + "'); return i.complete && i.naturalWidth > 0;"));
    }

    private static Object js(Browser browser, String script) {
        return ((JavascriptExecutor) browser.driver).executeScript(script);
    }
}
