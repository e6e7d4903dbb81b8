package org.homeward.referrals;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.homeward.testing.Api.as;
import static org.homeward.testing.TestDatabase.auditActions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.net.http.HttpResponse;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.homeward.testing.Api;
import org.homeward.testing.DemoUsers;
import org.homeward.testing.PageSession;
import org.homeward.testing.TestDatabase;
import org.homeward.testing.TestImages;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Tracing across units with real tokens, the real worker and models: a south sighting whose candidate is a north
 * case is referred to north; north reviews it with the sighting in front of it and a north supervisor who did not
 * propose it confirms; south follows the state and never sees the child; every step is audited on the referral,
 * which both units' views show. The four-eyes rule holds against every way round it.
 */
@QuarkusTest
@Tag("shared-app")
class ReferralFlowTest {

    static final String NORTH = DemoUsers.INVESTIGATOR_NORTH;
    static final String NORTH_SUPERVISOR = DemoUsers.SUPERVISOR_NORTH;
    static final String SOUTH = DemoUsers.INVESTIGATOR_SOUTH;
    static final String SOUTH_SUPERVISOR = DemoUsers.SUPERVISOR_SOUTH;
    /** The child's name, new in each run (a test database may keep earlier runs): it must never reach south before north shares it. */
    static final String CHILD = "Odile Witness-" + Long.toString(System.nanoTime() % 10_000_000, 36);

    @TestHTTPResource("/")
    URL root;

    private static byte[] hopper;
    private static long caseId;
    private static String caseReference;

    /** A north case (Grace Hopper as a "child" born in 1960, missing since 1970), its north investigator assigned. */
    @BeforeEach
    void northCase() {
        Optional<byte[]> portrait = TestImages.debianPortrait(TestImages.GRACE_HOPPER);
        assumeTrue(portrait.isPresent(), "SKIPPED: " + TestImages.GRACE_HOPPER + " absent (python-matplotlib-data)");
        if (caseId != 0) {
            return;
        }
        hopper = portrait.get();
        caseId = Api.createCase(NORTH, CHILD, "1960-01-01", "1970-01-01");
        caseReference = as(NORTH).get("/api/cases/" + caseId).then().extract().path("reference");
        // Assigned and a member of the unit: told both ways, the investigator must still read each message once.
        as(NORTH_SUPERVISOR).body(Map.of("username", NORTH)).post("/api/cases/" + caseId + "/assignments").then().statusCode(200);
        long photo = Api.attachCasePhoto(NORTH, caseId, TestImages.unique(hopper, System.nanoTime() + 101), "1966-01-01");
        assertEquals("done", Api.awaitPhoto(NORTH, photo));
    }

    /** A south sighting of the same face, searched: {sighting, candidate on the north case, referral}. */
    static long[] southSighting(String seenOn, long seed) {
        long photo = Api.uploadPhoto(SOUTH, TestImages.unique(hopper, seed), "image/png");
        assertEquals("done", Api.awaitPhoto(SOUTH, photo));
        long sighting = Api.createSighting(SOUTH, seenOn, List.of(photo));
        JsonPath s = Api.awaitSearch(SOUTH, sighting);
        assertEquals("ready", s.getString("searchState"));
        List<Map<String, Object>> candidates = s.getList("candidates");
        Map<String, Object> candidate = candidates.stream().filter(c -> ((Number) c.get("caseId")).longValue() == caseId)
                .findFirst().orElseThrow(() -> new AssertionError("the north case is a candidate: " + candidates));
        assertNull(candidate.get("caseSummary"), "south sees no north case details");
        assertEquals("north", candidate.get("caseUnit"));
        long candidateId = ((Number) candidate.get("id")).longValue();
        List<Map<String, Object>> referrals = as(SOUTH).get("/api/referrals").then().statusCode(200).extract().jsonPath().getList("$");
        long referral = referrals.stream().filter(r -> ((Number) r.get("candidateId")).longValue() == candidateId)
                .mapToLong(r -> ((Number) r.get("id")).longValue()).findFirst()
                .orElseThrow(() -> new AssertionError("a referral was raised for candidate " + candidateId + ": " + referrals));
        return new long[] {sighting, candidateId, referral};
    }

    private PageSession logIn(String user) throws Exception {
        return PageSession.logIn(root.toURI(), user);
    }

    private static String page(PageSession session, String path) {
        HttpResponse<String> response = session.get(path);
        assertEquals(200, response.statusCode(), path);
        return response.body();
    }

    private static void assertNoCaseData(String where, String text) {
        assertFalse(text.contains(CHILD), where + " shows the child's name");
        assertFalse(text.contains(caseReference), where + " shows the case's reference");
    }

    @Test
    void southSightingIsReferredToNorthReviewedThereAndConfirmedByAnotherNorthSupervisor() throws Exception {
        long[] found = southSighting("2020-05-01", System.nanoTime() + 111);
        long sighting = found[0];
        long candidate = found[1];
        long referral = found[2];
        String sightingReference = as(SOUTH).get("/api/sightings/" + sighting).then().extract().path("reference");

        // South: the state, never the case.
        JsonPath southView = as(SOUTH).get("/api/referrals/" + referral).then().statusCode(200).extract().jsonPath();
        assertEquals("referred", southView.getString("state"));
        assertEquals("north", southView.getString("toUnit"));
        assertNull(southView.get("caseReference"));
        assertNull(southView.get("childName"));
        String southCandidate = as(SOUTH).get("/api/candidates/" + candidate).then().statusCode(200)
                .body("referral.state", equalTo("referred")).body("caseFile", equalTo(null))
                .body("mayReview", containsString("referred")).extract().asString();
        assertNoCaseData("south's candidate API", southCandidate);
        assertNoCaseData("south's sighting API", as(SOUTH).get("/api/sightings/" + sighting).then().extract().asString());

        // North is told, once per person, with the case's reference, a link and both faces.
        for (String person : List.of(NORTH, NORTH_SUPERVISOR)) {
            List<Map<String, Object>> told = as(person).get("/api/inbox").then().statusCode(200).extract().jsonPath()
                    .<Map<String, Object>>getList("$").stream()
                    .filter(m -> ("/candidates/" + candidate).equals(m.get("link")) && ((String) m.get("message")).contains("referred"))
                    .toList();
            assertEquals(1, told.size(), person + " reads the referral once: " + told);
            assertTrue(((String) told.get(0).get("message")).contains(caseReference), told.toString());
            assertTrue(((String) told.get(0).get("message")).contains(sightingReference), told.toString());
            assertEquals(2, ((List<?>) told.get(0).get("faceIds")).size(), "both faces: " + told);
        }
        // South's own messages about it name no case.
        as(SOUTH).get("/api/inbox").then().statusCode(200).extract().jsonPath().<String>getList("message")
                .forEach(m -> assertNoCaseData("south's inbox", m));

        // North reviews with the sighting's facts and photo in front of it; opening it puts it under review.
        JsonPath northView = as(NORTH).get("/api/candidates/" + candidate).then().statusCode(200).extract().jsonPath();
        assertEquals(caseReference, northView.getString("caseFile.reference"));
        assertEquals(sightingReference, northView.getString("sighting.reference"));
        assertEquals("Test station", northView.getString("sighting.place"));
        assertEquals(1, northView.getList("sighting.candidates").size(), "north sees only the candidate referred to it");
        assertFalse(northView.getList("caseFaces").isEmpty());
        assertEquals("under_review", northView.getString("referral.state"));
        long sightingPhoto = northView.getLong("sighting.photos[0].photoId");
        long sightingFace = northView.getLong("sightingFace.faceId");
        PageSession northPages = logIn(NORTH);
        String northPage = page(northPages, "/candidates/" + candidate);
        assertTrue(northPage.contains("Referred to unit north by unit south") && northPage.contains("sighting-facts"), northPage);
        // The sighting's face and photo as images: ReferralBrowserTest sees them load.
        // (aligned on the eyes beside the case's face, or as found when the case has no searchable face)
        assertTrue((northPage.contains("/faces/" + sightingFace + "/aligned") || northPage.contains("/faces/" + sightingFace + "/image"))
                && northPage.contains("/sightings/" + sighting + "/photos/" + sightingPhoto + "/image"), northPage);
        assertEquals(404, northPages.get("/sightings/" + sighting).statusCode(), "the rest of the sighting stays south's");
        as(SOUTH).get("/api/referrals/" + referral).then().body("state", equalTo("under_review"));

        // South cannot give a verdict on a case it cannot see; bad input is refused; nothing changes.
        as(SOUTH).body(Map.of("decision", "possible_match", "comment", "Looks like her.")).post("/api/candidates/" + candidate + "/verdicts")
                .then().statusCode(403).contentType("application/problem+json");
        as(NORTH).body(Map.of("decision", "possible_match", "comment", "")).post("/api/candidates/" + candidate + "/verdicts")
                .then().statusCode(422).contentType("application/problem+json").body("detail", containsString("comment"));
        as(NORTH).body(Map.of("decision", "perhaps", "comment", "x")).post("/api/candidates/" + candidate + "/verdicts")
                .then().statusCode(422);
        assertEquals(0, verdictCount(candidate));

        as(NORTH).body(Map.of("decision", "possible_match", "comment", "Same hairline; " + CHILD + " had the same ears."))
                .post("/api/candidates/" + candidate + "/verdicts").then().statusCode(200).body("candidate.state", equalTo("provisional"));
        as(SOUTH).get("/api/referrals/" + referral).then().body("state", equalTo("under_review"));
        String southAfterVerdict = as(SOUTH).get("/api/candidates/" + candidate).then().statusCode(200)
                .body("verdicts[0].comment", equalTo(null)).extract().asString();
        assertNoCaseData("south's candidate API after north's verdict", southAfterVerdict);

        // The four-eyes rule, every way round it: nothing changes.
        assertConfirmRefused(NORTH, candidate, "supervisor");
        assertConfirmRefused(SOUTH_SUPERVISOR, candidate, "another unit");
        assertConfirmRefused(DemoUsers.ADMIN, candidate, "supervisor");
        as(NORTH_SUPERVISOR).body(Map.of("decision", "confirm", "comment", " ")).post("/api/candidates/" + candidate + "/confirmation")
                .then().statusCode(422);
        as(NORTH_SUPERVISOR).body(Map.of("decision", "possible_match", "comment", "x")).post("/api/candidates/" + candidate + "/confirmation")
                .then().statusCode(422).body("detail", containsString("confirm or refuse"));
        assertEquals(1, verdictCount(candidate));
        as(NORTH).get("/api/candidates/" + candidate).then().body("candidate.state", equalTo("provisional"));

        as(NORTH_SUPERVISOR).body(Map.of("decision", "confirm", "comment", "Agree after comparing ears and hairline."))
                .post("/api/candidates/" + candidate + "/confirmation").then().statusCode(200)
                .body("candidate.state", equalTo("confirmed"));

        // South sees "confirmed", still without the case.
        as(SOUTH).get("/api/referrals/" + referral).then().body("state", equalTo("confirmed"));
        List<String> southInbox = as(SOUTH).get("/api/inbox").then().extract().jsonPath().getList("message");
        assertTrue(southInbox.stream().anyMatch(m -> m.contains(sightingReference) && m.contains("confirmed by unit north")), southInbox.toString());
        southInbox.forEach(m -> assertNoCaseData("south's inbox", m));
        PageSession southPages = logIn(SOUTH);
        String southSightingPage = page(southPages, "/sightings/" + sighting);
        assertTrue(southSightingPage.contains("referral-confirmed") && southSightingPage.contains("Confirmed match"), southSightingPage);
        assertNoCaseData("south's sighting page", southSightingPage);
        String southCandidatePage = page(southPages, "/candidates/" + candidate);
        assertTrue(southCandidatePage.contains("Confirmed match"), southCandidatePage);
        assertNoCaseData("south's candidate page", southCandidatePage);
        assertNoCaseData("south's referrals page", page(southPages, "/referrals"));

        // North: the banner and the timeline of the case.
        String casePage = page(northPages, "/cases/" + caseId);
        assertTrue(casePage.contains("case-matched") && casePage.contains(sightingReference), "the case's banner names the sighting");
        assertTrue(casePage.contains("Confirmed (second reviewer) on sighting " + sightingReference), "the timeline has the confirmation");
        assertTrue(casePage.contains("Possible match on sighting " + sightingReference), "the timeline has the verdict");

        // Audited on both sides: the referral's steps, the same in both units' views of it.
        List<String> steps = auditActions("referral", referral);
        for (String expected : List.of("referral.raise by system:worker", "referral.open by " + NORTH,
                "referral.verdict by " + NORTH, "referral.confirm by " + NORTH_SUPERVISOR)) {
            assertTrue(steps.contains(expected), "audited: " + expected + " in " + steps);
        }
        List<String> southHistory = as(SOUTH).get("/api/referrals/" + referral).then().extract().jsonPath().getList("history.what");
        List<String> northHistory = as(NORTH).get("/api/referrals/" + referral).then().extract().jsonPath().getList("history.what");
        assertEquals(steps.size(), southHistory.size(), southHistory.toString());
        assertEquals(northHistory, southHistory);
        southHistory.forEach(h -> assertNoCaseData("south's view of the referral's history", h));
        List<String> candidateAudit = auditActions("candidate", candidate);
        assertTrue(candidateAudit.contains("candidate.view by " + SOUTH) && candidateAudit.contains("candidate.confirm by " + NORTH_SUPERVISOR),
                candidateAudit.toString());

        // Only the case's unit may share the case; then south sees its reference and the child's name.
        as(SOUTH).post("/api/referrals/" + referral + "/sharing").then().statusCode(403).contentType("application/problem+json");
        as(DemoUsers.ADMIN).post("/api/referrals/" + referral + "/sharing").then().statusCode(403);
        as(SOUTH).get("/api/referrals/" + referral).then().body("childName", equalTo(null));
        as(NORTH).post("/api/referrals/" + referral + "/sharing").then().statusCode(200).body("sharedAt", notNullValue());
        as(SOUTH).get("/api/referrals/" + referral).then().body("caseReference", equalTo(caseReference)).body("childName", equalTo(CHILD));
        assertTrue(auditActions("referral", referral).contains("referral.share by " + NORTH));
    }

    @Test
    void nobodyWhoProposedAReferredMatchConfirmsIt() {
        long candidate = southSighting("2021-03-01", System.nanoTime() + 121)[1];
        as(NORTH_SUPERVISOR).body(Map.of("decision", "possible_match", "comment", "Looks like her."))
                .post("/api/candidates/" + candidate + "/verdicts").then().statusCode(200);
        assertConfirmRefused(NORTH_SUPERVISOR, candidate, "four-eyes");
        // Someone else repeating the verdict does not clear the proposer.
        as(NORTH).body(Map.of("decision", "possible_match", "comment", "Agree."))
                .post("/api/candidates/" + candidate + "/verdicts").then().statusCode(200);
        assertConfirmRefused(NORTH_SUPERVISOR, candidate, "four-eyes");
        assertConfirmRefused(SOUTH_SUPERVISOR, candidate, "another unit");
        assertConfirmRefused(DemoUsers.ADMIN, candidate, "supervisor");
        as(NORTH_SUPERVISOR).get("/api/candidates/" + candidate).then().body("candidate.state", equalTo("provisional"))
                .body("mayConfirm", containsString("four-eyes"));
    }

    @Test
    void aNotAMatchVerdictIsShownToTheSightingsUnit() {
        long[] found = southSighting("2022-02-01", System.nanoTime() + 131);
        as(NORTH).body(Map.of("decision", "not_match", "comment", "Different chin."))
                .post("/api/candidates/" + found[1] + "/verdicts").then().statusCode(200);
        as(SOUTH).get("/api/referrals/" + found[2]).then().statusCode(200).body("state", equalTo("not_match"));
        List<String> southInbox = as(SOUTH).get("/api/inbox").then().extract().jsonPath().getList("message");
        assertTrue(southInbox.stream().anyMatch(m -> m.contains("is not a match")), southInbox.toString());
        // A referral neither of whose units is the caller's is not there at all.
        as(DemoUsers.AUDITOR).get("/api/referrals/" + found[2]).then().statusCode(403);
        as(DemoUsers.INVESTIGATOR_NORTH).get("/api/referrals/999999999").then().statusCode(404)
                .contentType("application/problem+json");
    }

    private static void assertConfirmRefused(String user, long candidate, String why) {
        int before = verdictCount(candidate);
        as(user).body(Map.of("decision", "confirm", "comment", "Confirming.")).post("/api/candidates/" + candidate + "/confirmation")
                .then().statusCode(403).contentType("application/problem+json").body("detail", containsString(why));
        assertEquals(before, verdictCount(candidate), user + "'s refused confirmation changed nothing");
        as(NORTH).get("/api/candidates/" + candidate).then().body("candidate.state", equalTo("provisional"));
    }

    private static int verdictCount(long candidate) {
        try (var c = TestDatabase.connect(TestDatabase.TEST_DB);
                var st = c.prepareStatement("SELECT count(*) FROM verdict WHERE candidate_id = ?")) {
            st.setLong(1, candidate);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
