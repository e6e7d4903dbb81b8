package org.homeward.review;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.homeward.testing.Api.as;
import static org.homeward.testing.TestDatabase.auditActions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.homeward.testing.Api;
import org.homeward.testing.DemoUsers;
import org.homeward.testing.TestDatabase;
import org.homeward.testing.TestImages;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Review with real tokens, the real worker and models: verdicts, the four-eyes rule, the inbox, the match
 * report, who sees what, the audit trail of each step, the reverse search, and bad sightings refused whole.
 */
@QuarkusTest
@Tag("shared-app")
class ReviewFlowTest {

    static final String NORTH = DemoUsers.INVESTIGATOR_NORTH;
    static final String SUPERVISOR = DemoUsers.SUPERVISOR_NORTH;

    private static byte[] hopper;
    private static long caseId;
    private static String caseReference;

    /** A north case of Grace Hopper as a "child" born in 1960, missing since 1970; set up once. */
    @BeforeEach
    void caseWithAFace() {
        Optional<byte[]> portrait = TestImages.debianPortrait(TestImages.GRACE_HOPPER);
        assumeTrue(portrait.isPresent(), "SKIPPED: " + TestImages.GRACE_HOPPER + " absent (python-matplotlib-data)");
        if (caseId != 0) {
            return;
        }
        hopper = portrait.get();
        caseId = createCase(NORTH, "Review Child", "1960-01-01", "1970-01-01");
        caseReference = as(NORTH).get("/api/cases/" + caseId).then().extract().path("reference");
        long photo = attach(NORTH, caseId, TestImages.unique(hopper, System.nanoTime() + 11), "1966-01-01");
        assertEquals("done", Api.awaitPhoto(NORTH, photo));
    }

    static long createCase(String user, String name, String born, String lastSeen) {
        return Api.createCase(user, name, born, lastSeen);
    }

    static long attach(String user, long caseId, byte[] png, String takenOn) {
        return Api.attachCasePhoto(user, caseId, png, takenOn);
    }

    /** A north sighting of the same face (other bytes), searched; returns the candidate for our case (or null). */
    static long[] sightingOfTheCase(String seenOn, long seed) {
        long photo = Api.uploadPhoto(NORTH, TestImages.unique(hopper, seed), "image/png");
        assertEquals("done", Api.awaitPhoto(NORTH, photo));
        long sighting = Api.createSighting(NORTH, seenOn, List.of(photo));
        JsonPath s = Api.awaitSearch(NORTH, sighting);
        assertEquals("ready", s.getString("searchState"));
        List<Map<String, Object>> candidates = s.getList("candidates");
        long candidate = candidates.stream().filter(c -> ((Number) c.get("caseId")).longValue() == caseId)
                .mapToLong(c -> ((Number) c.get("id")).longValue()).findFirst().orElse(0);
        return new long[] {sighting, candidate};
    }

    private static int sightingCount() throws Exception {
        try (var c = TestDatabase.connect(TestDatabase.TEST_DB); var st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM sighting")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void possibleMatchNeedsASecondPersonThenLinksNotifiesAndReports() throws Exception {
        long[] found = sightingOfTheCase("2020-05-01", System.nanoTime() + 21);
        long sighting = found[0];
        long candidate = found[1];
        assertTrue(candidate > 0, "the case is among the sighting's candidates");
        JsonPath c = as(NORTH).get("/api/candidates/" + candidate).then().statusCode(200).extract().jsonPath();
        assertEquals("unreviewed", c.getString("candidate.state"));
        assertTrue(c.getDouble("candidate.likelihoodRatio") > 1, "the same face is evidence for the case: " + c.get("candidate"));
        assertNotNull(c.getString("candidate.bandLabel"));
        assertEquals(caseReference, c.getString("caseFile.reference"));
        assertFalse(c.getList("caseFaces").isEmpty(), "the case's faces are shown beside the sighting face");

        // A verdict needs a known decision and a comment; nothing changes otherwise.
        as(NORTH).body(Map.of("decision", "possible_match", "comment", " ")).post("/api/candidates/" + candidate + "/verdicts")
                .then().statusCode(422).contentType("application/problem+json").body("detail", containsString("comment"));
        as(NORTH).body(Map.of("decision", "match!", "comment", "x")).post("/api/candidates/" + candidate + "/verdicts")
                .then().statusCode(422);
        // A report exists only for a possible match.
        as(NORTH).get("/api/candidates/" + candidate + "/report").then().statusCode(409);

        as(NORTH).body(Map.of("decision", "possible_match", "comment", "Same ears and hairline."))
                .post("/api/candidates/" + candidate + "/verdicts").then().statusCode(200)
                .body("candidate.state", equalTo("provisional"));
        // An investigator cannot confirm; a supervisor of the unit can.
        as(NORTH).body(Map.of("decision", "confirm", "comment", "mine")).post("/api/candidates/" + candidate + "/confirmation")
                .then().statusCode(403).body("detail", containsString("supervisor"));
        String provisionalReport = as(NORTH).get("/api/candidates/" + candidate + "/report").then().statusCode(200)
                .extract().asString();
        assertTrue(provisionalReport.contains("PROVISIONAL"), "a provisional report says so");

        as(SUPERVISOR).body(Map.of("decision", "confirm", "comment", "Agree: ears, hairline, and the dates fit."))
                .post("/api/candidates/" + candidate + "/confirmation").then().statusCode(200)
                .body("candidate.state", equalTo("confirmed"));
        JsonPath s = as(NORTH).get("/api/sightings/" + sighting).then().statusCode(200).extract().jsonPath();
        assertEquals(caseId, s.getLong("linkedCase.id"), "the sighting is linked to the case");
        // Once confirmed, no new verdict can undo it silently.
        as(NORTH).body(Map.of("decision", "not_match", "comment", "second thoughts"))
                .post("/api/candidates/" + candidate + "/verdicts").then().statusCode(409);

        // The case's people are told, in their inbox.
        List<String> inbox = as(NORTH).get("/api/inbox").then().statusCode(200).extract().jsonPath().getList("message");
        assertTrue(inbox.stream().anyMatch(m -> m.contains("confirmed as a match for case " + caseReference)), inbox.toString());

        // The report: faces, scores, method, model versions, verdicts, reviewers and dates.
        String report = as(SUPERVISOR).get("/api/candidates/" + candidate + "/report").then().statusCode(200)
                .contentType(containsString("text/html")).extract().asString();
        for (String expected : List.of(caseReference, "Review Child", "Likelihood ratio", "/faces/", "Same ears and hairline.",
                "Agree: ears, hairline", "Carla Duarte", "Alice Moreau", "Confirmed (second reviewer)", "soft-max",
                c.getString("candidate.modelId"), c.getString("candidate.calibrationId"), "not an identification")) {
            assertTrue(report.contains(expected), "the report shows '" + expected + "'");
        }
        assertFalse(report.contains("PROVISIONAL"), "a confirmed report is not marked provisional");

        List<String> audit = auditActions("candidate", candidate);
        for (String expected : List.of("candidate.view by " + NORTH, "candidate.verdict by " + NORTH,
                "candidate.report by " + NORTH, "candidate.confirm by " + SUPERVISOR, "candidate.report by " + SUPERVISOR)) {
            assertTrue(audit.contains(expected), "audited: " + expected + " in " + audit);
        }
        List<String> sightingAudit = auditActions("sighting", sighting);
        assertTrue(sightingAudit.contains("sighting.create by " + NORTH), sightingAudit.toString());
        assertTrue(sightingAudit.stream().anyMatch(a -> a.startsWith("sighting.search by system:worker")), sightingAudit.toString());
    }

    @Test
    void nobodyConfirmsTheirOwnPossibleMatch() {
        long candidate = sightingOfTheCase("2021-03-01", System.nanoTime() + 31)[1];
        assertTrue(candidate > 0);
        as(SUPERVISOR).body(Map.of("decision", "possible_match", "comment", "Looks like her."))
                .post("/api/candidates/" + candidate + "/verdicts").then().statusCode(200);
        as(SUPERVISOR).body(Map.of("decision", "confirm", "comment", "Confirming my own."))
                .post("/api/candidates/" + candidate + "/confirmation").then().statusCode(403)
                .body("detail", containsString("four-eyes"));
        as(SUPERVISOR).get("/api/candidates/" + candidate).then().body("candidate.state", equalTo("provisional"))
                .body("mayConfirm", containsString("four-eyes"));
    }

    @Test
    void aProposerCannotConfirmAfterSomeoneElseRepeatsTheVerdict() {
        long candidate = sightingOfTheCase("2021-04-01", System.nanoTime() + 37)[1];
        as(SUPERVISOR).body(Map.of("decision", "possible_match", "comment", "Same ears."))
                .post("/api/candidates/" + candidate + "/verdicts").then().statusCode(200);
        as(NORTH).body(Map.of("decision", "possible_match", "comment", "Agree."))
                .post("/api/candidates/" + candidate + "/verdicts").then().statusCode(200);
        as(SUPERVISOR).body(Map.of("decision", "confirm", "comment", "Confirming after a second verdict."))
                .post("/api/candidates/" + candidate + "/confirmation").then().statusCode(403)
                .body("detail", containsString("four-eyes"));
        as(SUPERVISOR).get("/api/candidates/" + candidate).then().body("candidate.state", equalTo("provisional"));
    }

    @Test
    void anotherUnitSeesNeitherTheSightingNorItsCandidates() {
        long[] found = sightingOfTheCase("2022-01-01", System.nanoTime() + 41);
        as(DemoUsers.INVESTIGATOR_SOUTH).get("/api/sightings/" + found[0]).then().statusCode(404);
        as(DemoUsers.INVESTIGATOR_SOUTH).get("/api/candidates/" + found[1]).then().statusCode(404);
        as(DemoUsers.INVESTIGATOR_SOUTH).body(Map.of("decision", "not_match", "comment", "x"))
                .post("/api/candidates/" + found[1] + "/verdicts").then().statusCode(404);
        assertTrue(as(DemoUsers.INVESTIGATOR_SOUTH).get("/api/sightings").then().statusCode(200).extract().jsonPath()
                .getList("id", Long.class).stream().noneMatch(id -> id == found[0]));
        as(DemoUsers.AUDITOR).get("/api/sightings/" + found[0]).then().statusCode(403);
    }

    @Test
    void aCaseThatGainsAFaceIsSearchedAgainstPastSightings() {
        Optional<byte[]> astronaut = TestImages.debianPortrait(TestImages.ASTRONAUT);
        assumeTrue(astronaut.isPresent(), "SKIPPED: " + TestImages.ASTRONAUT + " absent (python3-skimage)");
        long photo = Api.uploadPhoto(NORTH, TestImages.unique(astronaut.get(), System.nanoTime() + 51), "image/png");
        assertEquals("done", Api.awaitPhoto(NORTH, photo));
        long sighting = Api.createSighting(NORTH, "2023-07-01", List.of(photo));
        Api.awaitSearch(NORTH, sighting);

        // Later, a south case gets a childhood photo of the same person.
        long southCase = createCase(DemoUsers.INVESTIGATOR_SOUTH, "Reverse Search Child", "1960-01-01", "1970-01-01");
        long casePhoto = attach(DemoUsers.INVESTIGATOR_SOUTH, southCase, TestImages.unique(astronaut.get(), System.nanoTime() + 52), "1967-01-01");
        assertEquals("done", Api.awaitPhoto(DemoUsers.INVESTIGATOR_SOUTH, casePhoto));

        long deadline = System.currentTimeMillis() + 60_000;
        Map<String, Object> raised = null;
        while (raised == null) {
            List<Map<String, Object>> candidates = as(NORTH).get("/api/sightings/" + sighting).then().statusCode(200)
                    .extract().jsonPath().getList("candidates");
            raised = candidates.stream().filter(c -> ((Number) c.get("caseId")).longValue() == southCase).findFirst().orElse(null);
            assertTrue(raised != null || System.currentTimeMillis() < deadline, "the past sighting gained the new case");
            Api.sleep(300);
        }
        assertEquals("case", raised.get("foundBy"));
        assertNull(raised.get("caseSummary"), "north sees no south case details");
        assertEquals("south", raised.get("caseUnit"));
        List<String> inbox = as(NORTH).get("/api/inbox").then().extract().jsonPath().getList("message");
        assertTrue(inbox.stream().anyMatch(m -> m.contains("has a new candidate")), inbox.toString());
    }

    @Test
    void badSightingsAreRefusedWholeWithTheReason() throws Exception {
        int before = sightingCount();
        long good = Api.uploadPhoto(NORTH, TestImages.unique(hopper, System.nanoTime() + 61), "image/png");
        assertEquals("done", Api.awaitPhoto(NORTH, good));

        as(NORTH).body(Map.of("seenOn", "2999-01-01", "source", "tip", "photoIds", List.of(good)))
                .post("/api/sightings").then().statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("in the future"));
        as(NORTH).body(Map.of("seenOn", "2020-01-01", "source", "rumour", "photoIds", List.of(good)))
                .post("/api/sightings").then().statusCode(422).body("detail", containsString("where the sighting came from"));
        as(NORTH).body(Map.of("seenOn", "2020-01-01", "source", "tip", "photoIds", List.of()))
                .post("/api/sightings").then().statusCode(422).body("detail", containsString("at least one photo"));

        long faceless = Api.uploadPhoto(NORTH, TestImages.generated("png", 400, 300, 71), "image/png");
        assertEquals("done", Api.awaitPhoto(NORTH, faceless));
        as(NORTH).body(Map.of("seenOn", "2020-01-01", "source", "online", "photoIds", List.of(faceless)))
                .post("/api/sightings").then().statusCode(422)
                .body("detail", containsString("None of the photos shows a face"));
        // Someone else's photo cannot be slipped into a sighting.
        as(DemoUsers.INVESTIGATOR_SOUTH).body(Map.of("seenOn", "2020-01-01", "source", "tip", "photoIds", List.of(good)))
                .post("/api/sightings").then().statusCode(422).body("detail", containsString("no photo " + good));
        assertEquals(before, sightingCount(), "nothing was stored");

        // Seen before the child went missing (1970): the case cannot be this sighting and is left out.
        long early = Api.uploadPhoto(NORTH, TestImages.unique(hopper, System.nanoTime() + 62), "image/png");
        Api.awaitPhoto(NORTH, early);
        long sighting = Api.createSighting(NORTH, "1968-01-01", List.of(early));
        JsonPath s = Api.awaitSearch(NORTH, sighting);
        assertTrue(s.getList("candidates.caseId", Long.class).stream().noneMatch(id -> id == caseId),
                "a case whose child was still at home is not listed");
        assertTrue(s.getInt("excludedCases") >= 1);
    }
}
