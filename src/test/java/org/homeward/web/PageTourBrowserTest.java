package org.homeward.web;

import static org.homeward.testing.Api.as;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.homeward.testing.Api;
import org.homeward.testing.Browser;
import org.homeward.testing.DemoUsers;
import org.homeward.testing.TestImages;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Every page as each role meets it, in headless Chromium at a laptop's 1366 px and a tablet's 820 px: each opens
 * without an error, nothing is wider than the window, and a screenshot of each is saved under
 * target/screenshots/tour-ROLE-PAGE-WIDTH.png for a person to look at. The data is one case with a photo and one
 * sighting of the same face, so the candidate, its report and the lists have something to show.
 */
@QuarkusTest
@Tag("shared-app")
class PageTourBrowserTest {

    private static final int[] WIDTHS = {1366, 820};

    @TestHTTPResource("/")
    URL root;

    @Test
    void everyPageOpensForEachRoleAndFitsALaptopAndATablet() throws Exception {
        byte[] portrait = TestImages.debianPortrait(TestImages.GRACE_HOPPER).orElse(null);
        assumeTrue(portrait != null, "SKIPPED: " + TestImages.GRACE_HOPPER + " absent (python-matplotlib-data)");
        Api.Match match = Api.caseAndSightingOfOneFace(DemoUsers.INVESTIGATOR_NORTH, "Tour Child " + System.nanoTime(),
                portrait);
        long caseId = match.caseId();
        long casePhoto = match.casePhotoId();
        long sightingId = match.sightingId();
        long sightingPhoto = match.sightingPhotoId();
        assertFalse(match.candidateIds().isEmpty(), "the sighting of the same face lists the case");
        long candidate = match.candidateIds().get(0);
        as(DemoUsers.INVESTIGATOR_NORTH).get("/api/cases/" + caseId).then().statusCode(200);

        Map<String, String> investigator = new LinkedHashMap<>();
        investigator.put("home", "/");
        investigator.put("cases", "/cases");
        investigator.put("case-new", "/cases/new");
        investigator.put("case", "/cases/" + caseId);
        investigator.put("case-edit", "/cases/" + caseId + "/edit");
        investigator.put("case-photo", "/cases/" + caseId + "/photos/" + casePhoto);
        investigator.put("projection-sheet", "/cases/" + caseId + "/projections/sheet");
        investigator.put("sightings", "/sightings");
        investigator.put("sighting-new", "/sightings/new");
        investigator.put("sighting", "/sightings/" + sightingId);
        investigator.put("sighting-photo", "/sightings/" + sightingId + "/photos/" + sightingPhoto);
        investigator.put("review-queue", "/candidates");
        investigator.put("candidate", "/candidates/" + candidate);
        investigator.put("match-report", "/candidates/" + candidate + "/report");
        investigator.put("referrals", "/referrals");
        investigator.put("inbox", "/inbox");
        Map<String, String> supervisor = new LinkedHashMap<>();
        supervisor.put("home", "/");
        supervisor.put("case", "/cases/" + caseId);
        supervisor.put("review-queue", "/candidates");
        supervisor.put("candidate", "/candidates/" + candidate);
        Map<String, String> admin = new LinkedHashMap<>();
        admin.put("home", "/");
        admin.put("cases", "/cases");
        admin.put("index", "/admin/index");
        admin.put("audit", "/audit");
        Map<String, String> auditor = new LinkedHashMap<>();
        auditor.put("home", "/");
        auditor.put("audit", "/audit");

        String sightingReference = as(DemoUsers.INVESTIGATOR_NORTH).get("/api/sightings/" + sightingId).then().statusCode(200)
                .extract().path("reference");
        List<String> problems = new ArrayList<>();
        tour(DemoUsers.INVESTIGATOR_NORTH, "investigator", investigator, problems);
        tourShows(DemoUsers.INVESTIGATOR_NORTH, "/candidates", sightingReference, problems);
        tour(DemoUsers.SUPERVISOR_NORTH, "supervisor", supervisor, problems);
        tour(DemoUsers.ADMIN, "admin", admin, problems);
        tour(DemoUsers.AUDITOR, "auditor", auditor, problems);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    private void tour(String user, String role, Map<String, String> pages, List<String> problems) throws Exception {
        try (Browser browser = new Browser()) {
            browser.driver.get(url("/"));
            browser.logInAtKeycloak(user);
            browser.waitUpTo(30).until(ExpectedConditions.visibilityOfElementLocated(By.tagName("main")));
            for (Map.Entry<String, String> page : pages.entrySet()) {
                browser.driver.get(url(page.getValue()));
                browser.waitUpTo(30).until(d -> "complete".equals(browser.script("return document.readyState;")));
                String title = browser.driver.getTitle();
                String text = browser.driver.findElement(By.tagName("body")).getText();
                if (title.isBlank() || text.contains("Internal Server Error") || text.contains("Not Found")
                        || text.contains("Forbidden") || text.contains("error id")) {
                    problems.add(role + " " + page.getValue() + ": '" + title + "' " + text.substring(0, Math.min(200, text.length())));
                    continue;
                }
                for (int width : WIDTHS) {
                    int scrollWidth = browser.pageWidthAt(width);
                    if (scrollWidth > width) {
                        problems.add(role + " " + page.getValue() + ": " + scrollWidth + " px wide in a " + width + " px window");
                    }
                }
                browser.screenshots("tour-" + role + "-" + page.getKey());
            }
        }
    }

    /** The page, opened by the user, shows the text (a reference, not an id). */
    private void tourShows(String user, String page, String text, List<String> problems) throws Exception {
        try (Browser browser = new Browser()) {
            browser.driver.get(url(page));
            browser.logInAtKeycloak(user);
            browser.waitUpTo(30).until(ExpectedConditions.visibilityOfElementLocated(By.tagName("main")));
            if (!browser.driver.findElement(By.tagName("main")).getText().contains(text)) {
                problems.add(user + " " + page + " does not show " + text);
            }
        }
    }

    private String url(String path) {
        return root.toString().replaceAll("/$", "") + path;
    }
}
