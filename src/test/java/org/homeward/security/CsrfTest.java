package org.homeward.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.homeward.testing.DemoUsers;
import org.homeward.testing.PageSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every way round the page forms' CSRF protection, tried against a real logged-in session: only a form from
 * the person's own page, with the token signed for their browser and name, changes anything.
 */
@QuarkusTest
@Tag("shared-app")
class CsrfTest {

    private static final String FIELD = "csrf-token";
    private static final String COOKIE = "csrf-token";
    /** A page that always has a form; a token is for the browser and person, not for one form. */
    private static final String FORM_PAGE = "/cases/new";

    @TestHTTPResource("/")
    URL root;

    private PageSession logIn(String user) throws Exception {
        return PageSession.logIn(root.toURI(), user);
    }

    private static void assertRefused(HttpResponse<String> response, String what) {
        assertTrue(response.statusCode() >= 400 && response.statusCode() < 500 && response.statusCode() != 404,
                what + " must be refused, got " + response.statusCode());
    }

    @Test
    void theFormFromThePageIsAccepted() throws Exception {
        PageSession alice = logIn(DemoUsers.INVESTIGATOR_NORTH);
        String token = alice.formToken(FORM_PAGE);
        HttpResponse<String> read = alice.postForm("/inbox/read", Map.of(FIELD, token));
        assertEquals(303, read.statusCode(), read.body());
    }

    @Test
    void aPostThatIsNotAFormIsRefused() throws Exception {
        PageSession alice = logIn(DemoUsers.INVESTIGATOR_NORTH);
        String token = alice.formToken(FORM_PAGE);
        HttpResponse<String> text = alice.post("/inbox/read", "text/plain", FIELD + "=" + token, Map.of());
        HttpResponse<String> json = alice.post("/inbox/read", "application/json", "{}", Map.of());
        HttpResponse<String> none = alice.post("/inbox/read", null, null, Map.of());
        assertRefused(text, "a text/plain POST");
        assertRefused(json, "a JSON POST");
        assertRefused(none, "a POST without a body");
        assertEquals(java.util.List.of(415, 415, 415), java.util.List.of(text.statusCode(), json.statusCode(), none.statusCode()));
    }

    @Test
    void aFormWithoutItsTokenIsRefused() throws Exception {
        PageSession alice = logIn(DemoUsers.INVESTIGATOR_NORTH);
        alice.formToken(FORM_PAGE);
        assertRefused(alice.postForm("/inbox/read", Map.of()), "a form without its token");
        assertRefused(alice.post("/inbox/read", "application/x-www-form-urlencoded", null, Map.of()), "an empty form");
        assertRefused(alice.postForm("/inbox/read", Map.of(FIELD, "")), "a form with an empty token");
    }

    @Test
    void aForgedUnsignedCookieAndTokenPairIsRefused() throws Exception {
        PageSession alice = logIn(DemoUsers.INVESTIGATOR_NORTH);
        alice.formToken(FORM_PAGE);
        // A same-site attacker (another port on the host, a sibling subdomain) can plant a cookie: any value
        // it also puts in the form must not pass, whatever its length.
        for (int length : new int[] {16, 32}) {
            byte[] bytes = new byte[length];
            new SecureRandom().nextBytes(bytes);
            String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            alice.plantCookie(COOKIE, forged);
            assertEquals(403, alice.postForm("/inbox/read", Map.of(FIELD, forged)).statusCode(), "forged pair of " + length + " bytes");
        }
    }

    @Test
    void aPairFromTheAttackersOwnSessionIsRefused() throws Exception {
        PageSession mallory = logIn(DemoUsers.INVESTIGATOR_SOUTH);
        String malloryToken = mallory.formToken(FORM_PAGE);
        String malloryCookie = mallory.cookie(COOKIE);
        assertNotNull(malloryCookie);
        assertEquals(303, mallory.postForm("/inbox/read", Map.of(FIELD, malloryToken)).statusCode(), "valid for Mallory");

        PageSession alice = logIn(DemoUsers.INVESTIGATOR_NORTH);
        alice.plantCookie(COOKIE, malloryCookie);
        assertEquals(403, alice.postForm("/inbox/read", Map.of(FIELD, malloryToken)).statusCode(),
                "a genuine pair is bound to the person it was made for");
    }

    @Test
    void aFormSentFromAnotherSiteIsRefused() throws Exception {
        PageSession alice = logIn(DemoUsers.INVESTIGATOR_NORTH);
        String token = alice.formToken(FORM_PAGE);
        HttpResponse<String> crossSite = alice.post("/inbox/read", "application/x-www-form-urlencoded",
                PageSession.formBody(Map.of(FIELD, token)), Map.of("Sec-Fetch-Site", "same-site"));
        assertEquals(403, crossSite.statusCode());
        HttpResponse<String> ownPage = alice.post("/inbox/read", "application/x-www-form-urlencoded",
                PageSession.formBody(Map.of(FIELD, token)), Map.of("Sec-Fetch-Site", "same-origin"));
        assertEquals(303, ownPage.statusCode());
    }

    @Test
    void theCookieIsHttpOnlyAndSameSiteStrict() throws Exception {
        PageSession alice = logIn(DemoUsers.INVESTIGATOR_NORTH);
        alice.plantCookie(COOKIE, "not-one-of-ours");
        String header = PageSession.setCookieHeader(alice.get("/inbox"), COOKIE);
        assertNotNull(header, "a new cookie replaces one Homeward did not make");
        String lower = header.toLowerCase();
        assertTrue(lower.contains("httponly") && lower.contains("samesite=strict") && lower.contains("path=/"), header);
    }

    @Test
    void imagesAndPollsDoNotExpireAnOpenForm() throws Exception {
        PageSession alice = logIn(DemoUsers.INVESTIGATOR_NORTH);
        String token = alice.formToken(FORM_PAGE);
        for (String path : new String[] {"/", "/cases", "/inbox", "/sightings"}) {
            alice.get(path);
        }
        assertEquals(303, alice.postForm("/inbox/read", Map.of(FIELD, token)).statusCode());
    }

    @Test
    void theApiIsNotAffected() throws Exception {
        URI me = root.toURI().resolve("/api/me");
        io.restassured.RestAssured.given().auth().oauth2(DemoUsers.accessToken(DemoUsers.INVESTIGATOR_NORTH))
                .contentType("application/json").body("{\"body\":\"x\"}")
                .post(root.toURI().resolve("/api/cases/999999999/notes").toString()).then().statusCode(404);
        io.restassured.RestAssured.given().auth().oauth2(DemoUsers.accessToken(DemoUsers.INVESTIGATOR_NORTH))
                .get(me.toString()).then().statusCode(200);
    }
}
