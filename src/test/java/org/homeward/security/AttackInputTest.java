package org.homeward.security;

import static org.homeward.testing.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
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
 * Hostile input is harmless: markup and script in every text a person can type show as text on every page that
 * shows it and in the match report (none runs, none becomes an element); SQL and LIKE metacharacters in the
 * search match only as written; path tricks in file fetches reach no file; and the log of all this names no
 * child, reference or date of birth.
 */
@QuarkusTest
@Tag("shared-app")
class AttackInputTest {

    private static final String MARKUP = "<img src=x onerror=window.__xss=1><script>window.__xss=1</script>";

    @TestHTTPResource("/")
    URL root;

    @Test
    void markupInEveryTextFieldShowsAsTextOnEveryPage() throws Exception {
        byte[] portrait = TestImages.debianPortrait(TestImages.GRACE_HOPPER).orElse(null);
        assumeTrue(portrait != null, "SKIPPED: " + TestImages.GRACE_HOPPER + " absent (python-matplotlib-data)");
        Api.Match match = Api.caseAndSightingOfOneFace(DemoUsers.INVESTIGATOR_NORTH, "Xss Child " + System.nanoTime(), portrait);
        long caseId = match.caseId();
        long version = ((Number) as(DemoUsers.INVESTIGATOR_NORTH).get("/api/cases/" + caseId).then().statusCode(200)
                .extract().path("version")).longValue();
        as(DemoUsers.INVESTIGATOR_NORTH).body(Map.of("childName", "Xss " + MARKUP, "aliases", List.of(MARKUP),
                "birthDate", "2012-03-04", "lastSeenDate", "2016-05-06", "lastSeenPlace", MARKUP, "circumstances", MARKUP,
                "distinguishingMarks", MARKUP, "sex", "female", "version", version))
                .put("/api/cases/" + caseId).then().statusCode(200);
        as(DemoUsers.INVESTIGATOR_NORTH).body(Map.of("body", MARKUP)).post("/api/cases/" + caseId + "/notes").then().statusCode(200);
        assertFalse(match.candidateIds().isEmpty(), "the sighting lists the case");
        long candidate = match.candidateIds().get(0);
        as(DemoUsers.INVESTIGATOR_NORTH).body(Map.of("decision", "possible_match", "comment", MARKUP))
                .post("/api/candidates/" + candidate + "/verdicts").then().statusCode(200);

        List<String> pages = List.of("/", "/cases", "/cases?q=Xss", "/cases/" + caseId, "/cases/" + caseId + "/edit",
                "/cases/" + caseId + "/photos/" + match.casePhotoId(), "/sightings", "/sightings/" + match.sightingId(),
                "/candidates", "/candidates/" + candidate, "/candidates/" + candidate + "/report", "/inbox");
        List<String> problems = new ArrayList<>();
        try (Browser browser = new Browser()) {
            browser.driver.get(url("/"));
            browser.logInAtKeycloak(DemoUsers.INVESTIGATOR_NORTH);
            browser.waitUpTo(30).until(ExpectedConditions.visibilityOfElementLocated(By.tagName("main")));
            for (String page : pages) {
                browser.driver.get(url(page));
                browser.waitUpTo(30).until(d -> "complete".equals(browser.script("return document.readyState;")));
                Object ran = browser.script("return window.__xss === undefined ? 0 : window.__xss;");
                Number injected = (Number) browser.script(
                        "return document.querySelectorAll('img[onerror], script:not([src]), [onload], [onclick]').length;");
                if (((Number) ran).intValue() != 0 || injected.intValue() != 0) {
                    problems.add(page + ": script ran " + ran + ", injected elements " + injected);
                }
            }
            browser.driver.get(url("/cases/" + caseId));
            assertTrue(browser.driver.findElement(By.tagName("body")).getText().contains(MARKUP),
                    "the typed markup is shown as the text it is");
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void searchMetacharactersMatchOnlyAsWritten() {
        String tag = "Meta" + System.nanoTime();
        Api.createCase(DemoUsers.INVESTIGATOR_NORTH, "Percent 100% " + tag, "2012-03-04", "2016-05-06");
        Api.createCase(DemoUsers.INVESTIGATOR_NORTH, "Percent 1000 " + tag, "2012-03-04", "2016-05-06");
        Api.createCase(DemoUsers.INVESTIGATOR_NORTH, "Under_score " + tag, "2012-03-04", "2016-05-06");
        assertEquals(List.of("Percent 100% " + tag), names("100% " + tag), "% is a character, not a wildcard");
        assertEquals(List.of("Under_score " + tag), names("_score " + tag), "so is _");
        assertEquals(List.of(), names("Under" + "_" + "sc0re " + tag));
        for (String hostile : List.of("' OR '1'='1", "'; DROP TABLE case_file; --", "\\", "%", "_", "\" OR \"\"=\"",
                "1) OR (1=1", "\u0000", "Percent%' OR childName LIKE '%")) {
            int status = as(DemoUsers.INVESTIGATOR_NORTH).queryParam("q", hostile).get("/api/cases").then().extract().statusCode();
            assertTrue(status == 200 || status == 400, hostile + ": " + status);
        }
        int south = as(DemoUsers.INVESTIGATOR_SOUTH).queryParam("q", "' OR '1'='1").get("/api/cases").then().statusCode(200)
                .extract().jsonPath().getList("items.childName").stream().filter(n -> String.valueOf(n).endsWith(tag)).toList().size();
        assertEquals(0, south, "no quoting trick shows another unit's cases");
    }

    @Test
    void pathTricksInFileFetchesReachNoFile() {
        for (String path : List.of("/api/photos/..%2F..%2F..%2Fetc%2Fpasswd/content", "/api/photos/1%2F..%2F..%2Fetc/content",
                "/faces/..%2F..%2Fetc%2Fpasswd/image", "/cases/1/photos/..%2F..%2F..%2Fetc%2Fpasswd/image",
                "/api/cases/1/projections/..%2F..%2Fpasswd/image", "/static/..%2F..%2F..%2Fetc%2Fpasswd",
                "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd")) {
            var response = as(DemoUsers.INVESTIGATOR_NORTH).urlEncodingEnabled(false).redirects().follow(false).get(path);
            // a page route sends a browser without a session to sign in (a bearer token is the API's only): that
            // redirect, or a refusal, and never a file
            boolean toSignIn = response.statusCode() == 302
                    && String.valueOf(response.header("Location")).startsWith(DemoUsers.realmUrl());
            assertTrue(toSignIn || response.statusCode() >= 400 && response.statusCode() < 500,
                    path + ": " + response.statusCode() + " " + response.header("Location"));
            assertFalse(response.asString().contains("root:"), path + " reached a file");
        }
    }

    @Test
    void theLogNamesNoChildReferenceOrDateOfBirth() throws Exception {
        String child = "Logscan Child " + System.nanoTime();
        String born = "2011-07-19";
        long caseId = Api.createCase(DemoUsers.INVESTIGATOR_NORTH, child, born, "2016-05-06");
        String reference = as(DemoUsers.INVESTIGATOR_NORTH).get("/api/cases/" + caseId).then().extract().path("reference");
        as(DemoUsers.INVESTIGATOR_NORTH).queryParam("q", child).get("/api/cases").then().statusCode(200);
        as(DemoUsers.INVESTIGATOR_NORTH).body(Map.of("childName", "")).post("/api/cases").then().statusCode(422);
        as(DemoUsers.INVESTIGATOR_SOUTH).get("/api/cases/" + caseId).then().statusCode(404);
        Path log = Paths.get("target", "homeward-test.log");
        assertTrue(Files.exists(log), "the tests' log file " + log.toAbsolutePath());
        String text = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(text.contains("homeward"), "the log has the run in it");
        for (String secret : List.of(child, reference, born)) {
            assertFalse(text.contains(secret), "the log names '" + secret + "'");
        }
    }

    private static List<String> names(String q) {
        return as(DemoUsers.INVESTIGATOR_NORTH).queryParam("q", q).get("/api/cases").then().statusCode(200).extract()
                .jsonPath().getList("items.childName", String.class);
    }

    private String url(String path) {
        return root.toString().replaceAll("/$", "") + path;
    }
}
