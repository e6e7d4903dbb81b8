package org.homeward.referrals;

import static org.homeward.testing.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.homeward.testing.TestImages;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The cross-unit story in headless Chromium against the real Keycloak, database and models: a south sighting
 * names a north case; south sees it referred; north finds it in the inbox, reviews it with the sighting in front
 * of it; a north supervisor confirms; both units see the outcome, south without the child. Screenshots of each
 * page at 1366 and 820 px wide go to target/screenshots (referral-*.png).
 */
@QuarkusTest
@Tag("shared-app")
class ReferralBrowserTest {

    static final String CHILD = "Browser Referral Child";

    @TestHTTPResource("/")
    URL root;

    private String url(String path) {
        return root.toString().replaceAll("/$", "") + path;
    }

    private static String body(Browser browser) {
        return browser.driver.findElement(By.tagName("body")).getText();
    }

    @Test
    void southSightingIsReferredNorthReviewsAndConfirmsBothSeeTheOutcome() throws Exception {
        byte[] hopper = TestImages.debianPortrait(TestImages.GRACE_HOPPER).orElse(null);
        assumeTrue(hopper != null, "SKIPPED: " + TestImages.GRACE_HOPPER + " absent (python-matplotlib-data)");
        long caseId = Api.createCase(DemoUsers.INVESTIGATOR_NORTH, CHILD, "1960-01-01", "1970-01-01");
        String reference = as(DemoUsers.INVESTIGATOR_NORTH).get("/api/cases/" + caseId).then().extract().path("reference");
        long casePhoto = Api.attachCasePhoto(DemoUsers.INVESTIGATOR_NORTH, caseId, TestImages.unique(hopper, System.nanoTime()), "1966-01-01");
        assertEquals("done", Api.awaitPhoto(DemoUsers.INVESTIGATOR_NORTH, casePhoto));
        long photo = Api.uploadPhoto(DemoUsers.INVESTIGATOR_SOUTH, TestImages.unique(hopper, System.nanoTime()), "image/png");
        assertEquals("done", Api.awaitPhoto(DemoUsers.INVESTIGATOR_SOUTH, photo));
        long sighting = Api.createSighting(DemoUsers.INVESTIGATOR_SOUTH, "2020-06-01", List.of(photo));
        JsonPath s = Api.awaitSearch(DemoUsers.INVESTIGATOR_SOUTH, sighting);
        String sightingReference = s.getString("reference");
        long candidate = s.<Map<String, Object>>getList("candidates").stream()
                .filter(c -> ((Number) c.get("caseId")).longValue() == caseId)
                .mapToLong(c -> ((Number) c.get("id")).longValue()).findFirst().orElseThrow();

        try (Browser south = new Browser()) {
            south.driver.get(url("/sightings/" + sighting));
            south.logInAtKeycloak(DemoUsers.INVESTIGATOR_SOUTH);
            WebElement referrals = south.waitUpTo(30).until(ExpectedConditions.visibilityOfElementLocated(By.id("sighting-referrals")));
            assertTrue(referrals.getText().contains("unit north") && referrals.getText().contains("Referred"), referrals.getText());
            assertFalse(body(south).contains(CHILD) || body(south).contains(reference), "south sees no case data");
            int width = south.pageWidthAt(820);
            assertTrue(width <= 820, "the sighting page with its candidates is " + width + " px wide at 820 px");
            south.driver.manage().window().setSize(new org.openqa.selenium.Dimension(820, 900));
            assertEquals(0L, ((Number) south.script("return Array.from(document.querySelectorAll("
                    + "'.candidate-list .review-state, .candidate-list .band')).filter(b => b.getClientRects().length > 1).length;"))
                    .longValue(), "no badge of the candidate table breaks over lines at 820 px");
            south.screenshots("referral-south-sighting-referred");
        }

        try (Browser north = new Browser()) {
            north.driver.get(url("/inbox"));
            north.logInAtKeycloak(DemoUsers.INVESTIGATOR_NORTH);
            WebElement message = north.waitUpTo(30).until(ExpectedConditions.visibilityOfElementLocated(
                    By.xpath("//li[contains(@class,'message')][@data-link='/candidates/" + candidate + "']")));
            assertTrue(message.getText().contains(reference) && message.getText().contains(sightingReference), message.getText());
            assertTrue(facesLoaded(north, message, 2), "the message shows both faces");
            north.screenshots("referral-north-inbox");

            message.findElement(By.tagName("a")).click();
            north.waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(By.id("referral")));
            assertTrue(north.driver.findElement(By.id("referral-state")).getText().contains("Under review"));
            assertTrue(north.driver.findElement(By.id("sighting-facts")).getText().contains("Test station"));
            assertTrue(facesLoaded(north, north.driver.findElement(By.id("sighting-facts")), 1), "the sighting's photo shows");
            north.driver.findElement(By.cssSelector("input[name='decision'][value='possible_match']")).click();
            north.driver.findElement(By.id("verdict-comment")).sendKeys("Same hairline and ears; dates fit.");
            north.driver.findElement(By.id("submit-verdict")).click();
            north.waitUpTo(20).until(ExpectedConditions.textToBePresentInElementLocated(By.id("candidate-state"), "awaiting a supervisor"));
            north.screenshots("referral-north-candidate-provisional");
        }

        try (Browser supervisor = new Browser()) {
            supervisor.driver.get(url("/candidates/" + candidate));
            supervisor.logInAtKeycloak(DemoUsers.SUPERVISOR_NORTH);
            supervisor.waitUpTo(30).until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-form")));
            supervisor.driver.findElement(By.cssSelector("#confirm-form input[value='confirm']")).click();
            supervisor.driver.findElement(By.id("confirm-comment")).sendKeys("Confirmed after comparing ears and hairline.");
            supervisor.driver.findElement(By.id("submit-confirmation")).click();
            supervisor.waitUpTo(20).until(ExpectedConditions.textToBePresentInElementLocated(By.id("referral-state"), "Confirmed"));
            assertTrue(supervisor.driver.findElement(By.id("page-note")).getText().contains("recorded"),
                    "the page says the decision was recorded");
            supervisor.screenshots("referral-north-candidate-confirmed");
            int candidateWidth = supervisor.pageWidthAt(820);
            assertTrue(candidateWidth <= 820, "the candidate page is " + candidateWidth + " px wide at 820 px");

            // The match report: no inline handler (the CSP runs none), no repository file named, printed by its script.
            supervisor.driver.get(url("/candidates/" + candidate + "/report"));
            supervisor.waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(By.id("print-report")));
            assertEquals(0L, ((Number) supervisor.script("return Array.from(document.querySelectorAll('*')).filter(e => "
                    + "Array.from(e.attributes).some(a => a.name.startsWith('on'))).length;")).longValue(), "no inline handler");
            assertFalse(body(supervisor).contains(".md") || body(supervisor).contains("docs/"), "no repository file named");
            supervisor.script("window.printed = false; window.print = function () { window.printed = true; };");
            supervisor.driver.findElement(By.id("print-report")).click();
            assertEquals(Boolean.TRUE, supervisor.script("return window.printed;"), "the print button prints");
            supervisor.screenshots("match-report");

            supervisor.driver.get(url("/cases/" + caseId));
            String banner = supervisor.waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(By.id("case-matched"))).getText();
            assertTrue(banner.contains(sightingReference) && banner.contains("Carla Duarte"), banner);
            String timeline = supervisor.driver.findElement(By.id("timeline")).getText();
            assertTrue(timeline.contains("Confirmed (second reviewer) on sighting " + sightingReference)
                    && timeline.contains("referred to this unit"), timeline);
            supervisor.screenshots("referral-north-case-confirmed");
        }

        try (Browser south = new Browser()) {
            south.driver.get(url("/sightings/" + sighting));
            south.logInAtKeycloak(DemoUsers.SUPERVISOR_SOUTH);
            WebElement confirmed = south.waitUpTo(30).until(ExpectedConditions.visibilityOfElementLocated(By.id("referral-confirmed")));
            assertTrue(confirmed.getText().contains("unit north"), confirmed.getText());
            assertFalse(body(south).contains(CHILD) || body(south).contains(reference), "south sees no case data");
            south.screenshots("referral-south-sighting-confirmed");

            south.driver.get(url("/candidates/" + candidate));
            south.waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(By.id("referral")));
            String page = body(south);
            assertTrue(page.contains("Confirmed match") && page.contains("Comment withheld"), page);
            assertTrue(south.driver.findElement(By.id("why-not-review")).getText().contains("referred"));
            assertFalse(page.contains(CHILD) || page.contains(reference), "south sees no case data");
            south.screenshots("referral-south-candidate-confirmed");

            south.driver.get(url("/referrals"));
            WebElement list = south.waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(By.id("referrals")));
            assertTrue(list.getText().contains(sightingReference), list.getText());
            south.screenshots("referral-south-list");
        }
    }

    /** Whether at least {@code count} images inside the element loaded. */
    private static boolean facesLoaded(Browser browser, WebElement within, int count) {
        browser.waitUpTo(20).until(d -> (Boolean) ((JavascriptExecutor) d).executeScript(
                "return Array.from(arguments[0].querySelectorAll('img')).every(i => i.complete);", within));
        Number loaded = (Number) ((JavascriptExecutor) browser.driver).executeScript(
                "return Array.from(arguments[0].querySelectorAll('img')).filter(i => i.naturalWidth > 0).length;", within);
        return loaded.intValue() >= count;
    }
}
