package org.homeward.sightings;

import static org.homeward.testing.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import org.homeward.testing.Api;
import org.homeward.testing.Browser;
import org.homeward.testing.DemoUsers;
import org.homeward.testing.TestImages;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The tracing workflow in headless Chromium against the real Keycloak, database and models: an investigator
 * records a sighting (after a mistake), watches the search finish, opens the candidate and calls it a
 * possible match; a supervisor confirms it and prints the match report. Screenshots go to target/screenshots.
 */
@QuarkusTest
@Tag("shared-app")
class SightingBrowserTest {

    @TestHTTPResource("/")
    URL root;

    private String url(String path) {
        return root.toString().replaceAll("/$", "") + path;
    }

    @Test
    void investigatorRecordsASightingReviewsTheCandidateSupervisorConfirmsAndPrints() throws Exception {
        byte[] hopper = TestImages.debianPortrait(TestImages.GRACE_HOPPER).orElse(null);
        assumeTrue(hopper != null, "SKIPPED: " + TestImages.GRACE_HOPPER + " absent (python-matplotlib-data)");
        long caseId = Api.createCase(DemoUsers.INVESTIGATOR_NORTH, "Browser Sighting Child", "1960-01-01", "1970-01-01");
        String reference = as(DemoUsers.INVESTIGATOR_NORTH).get("/api/cases/" + caseId).then().extract().path("reference");
        long casePhoto = Api.attachCasePhoto(DemoUsers.INVESTIGATOR_NORTH, caseId,
                TestImages.unique(hopper, System.nanoTime()), "1966-01-01");
        assertEquals("done", Api.awaitPhoto(DemoUsers.INVESTIGATOR_NORTH, casePhoto));
        Path sightingPhoto = Files.createTempFile("sighting", ".png");
        Files.write(sightingPhoto, TestImages.unique(hopper, System.nanoTime()));
        String candidateUrl;
        String sightingReference;

        try (Browser browser = new Browser()) {
            browser.driver.get(url("/sightings/new"));
            browser.logInAtKeycloak(DemoUsers.INVESTIGATOR_NORTH);
            browser.waitUpTo(30).until(ExpectedConditions.visibilityOfElementLocated(By.id("seenOn")));
            browser.driver.findElement(By.id("sighting-files")).sendKeys(sightingPhoto.toString());
            WebElement upload = browser.waitUpTo(180).until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#sighting-uploads li[data-usable='true']")));
            assertTrue(upload.getText().contains("face(s) to search"), upload.getText());

            // A mistake first: no date. The sighting is not saved; the photo stays chosen.
            new Select(browser.driver.findElement(By.id("source"))).selectByValue("agency");
            browser.driver.findElement(By.id("save-sighting")).click();
            WebElement error = browser.waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(By.id("error-seenOn")));
            assertTrue(error.getText().contains("Give the date"), error.getText());
            browser.screenshot("sighting-form-error");

            setDate(browser, "seenOn", "2020-06-01");
            browser.driver.findElement(By.id("place")).sendKeys("Shelter intake, Marseille");
            browser.driver.findElement(By.id("notes")).sendKeys("Young woman, says she grew up abroad.");
            browser.driver.findElement(By.id("save-sighting")).click();

            browser.waitUpTo(120).until(ExpectedConditions.attributeToBe(By.id("search-state"), "data-state", "ready"));
            sightingReference = browser.driver.findElement(By.id("sighting-reference")).getText();
            WebElement link = browser.waitUpTo(10).until(ExpectedConditions.presenceOfElementLocated(
                    By.xpath("//a[contains(@class,'candidate-link') and contains(., '" + reference + "')]")));
            WebElement row = link.findElement(By.xpath("./ancestor::tr"));
            assertTrue(row.getText().contains("support"), "the candidate shows its verbal evidence: " + row.getText());
            browser.screenshot("sighting-candidates");

            link.click();
            browser.waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(By.id("likelihood-ratio")));
            candidateUrl = browser.driver.getCurrentUrl();
            assertTrue(browser.driver.findElement(By.id("evidence-band")).getText().contains("support"));
            assertTrue(browser.driver.findElements(By.cssSelector(".case-faces img")).size() >= 1, "the case's faces are shown");
            browser.driver.findElement(By.cssSelector("input[name='decision'][value='possible_match']")).click();
            browser.driver.findElement(By.id("verdict-comment")).sendKeys("Same hairline and ears; dates fit.");
            browser.driver.findElement(By.id("submit-verdict")).click();
            WebElement state = browser.waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(By.id("candidate-state")));
            assertTrue(state.getText().contains("awaiting a supervisor"), state.getText());
            assertTrue(browser.driver.findElement(By.id("why-not-confirm")).getText().contains("supervisor"));
            browser.screenshot("candidate-provisional");
        }

        try (Browser browser = new Browser()) {
            browser.driver.get(candidateUrl);
            browser.logInAtKeycloak(DemoUsers.SUPERVISOR_NORTH);
            browser.waitUpTo(30).until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-form")));
            browser.driver.findElement(By.cssSelector("#confirm-form input[value='confirm']")).click();
            browser.driver.findElement(By.id("confirm-comment")).sendKeys("Confirmed after comparing ears and hairline.");
            browser.driver.findElement(By.id("submit-confirmation")).click();
            browser.waitUpTo(20).until(ExpectedConditions.textToBePresentInElementLocated(By.id("candidate-state"), "Confirmed"));
            browser.screenshot("candidate-confirmed");

            browser.driver.get(browser.driver.findElement(By.id("report-link")).getAttribute("href"));
            WebElement lr = browser.waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(By.id("report-lr")));
            assertTrue(lr.getText().contains("support"), lr.getText());
            String page = browser.driver.findElement(By.tagName("body")).getText();
            for (String expected : new String[] {reference, "Alice Moreau", "Carla Duarte", "Confirmed (second reviewer)",
                    "Shelter intake, Marseille", "not an identification"}) {
                assertTrue(page.contains(expected), "the report shows " + expected);
            }
            Boolean facesLoaded = (Boolean) ((JavascriptExecutor) browser.driver).executeScript(
                    "return Array.from(document.querySelectorAll('.report-faces img')).every(i => i.complete && i.naturalWidth > 0);");
            assertTrue(facesLoaded, "the report's face images load");
            browser.screenshot("match-report");

            // The case page lists the sighting that may be this child.
            browser.driver.get(url("/cases/" + caseId));
            WebElement listed = browser.waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(By.id("case-candidates")));
            assertTrue(listed.getText().contains(sightingReference) && listed.getText().contains("confirmed"), listed.getText());
            // ...and says at its top that a match was confirmed, by whom, with the report at hand.
            String banner = browser.driver.findElement(By.id("case-matched")).getText();
            assertTrue(banner.contains("Confirmed match") && banner.contains(sightingReference) && banner.contains("Carla Duarte")
                    && banner.contains("Shelter intake, Marseille"), banner);
            assertTrue(browser.driver.findElements(By.cssSelector("#case-matched a[href$='/report']")).size() == 1);
            browser.screenshot("case-matched");
        }
    }

    private static void setDate(Browser browser, String id, String isoDate) {
        ((JavascriptExecutor) browser.driver).executeScript("document.getElementById(arguments[0]).value = arguments[1];", id, isoDate);
    }
}
