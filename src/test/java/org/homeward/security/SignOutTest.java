package org.homeward.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.Map;
import org.homeward.testing.DemoUsers;
import org.homeward.testing.PageSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Signing out is the menu's form, under the CSRF check: a link another site makes the browser fetch, or a form
 * without the page's token, signs nobody out; the menu's form ends the session here and at Keycloak.
 */
@QuarkusTest
@Tag("shared-app")
class SignOutTest {

    @TestHTTPResource("/")
    URL root;

    private static boolean signedIn(PageSession session) {
        return session.get("/cases").statusCode() == 200;
    }

    @Test
    void onlyTheMenusFormSignsOut() throws Exception {
        PageSession alice = PageSession.logIn(root.toURI(), DemoUsers.INVESTIGATOR_NORTH);
        assertTrue(alice.get("/").body().contains("action=\"/logout\""), "the menu has the sign-out form");

        HttpResponse<String> link = alice.get("/logout");
        assertEquals(405, link.statusCode(), "a plain GET (a link, an image on another site) is not a sign-out");
        assertTrue(signedIn(alice), "still signed in after GET /logout");

        HttpResponse<String> forged = alice.postForm("/logout", Map.of());
        assertEquals(403, forged.statusCode(), "a form without the page's token: " + forged.body());
        assertTrue(signedIn(alice), "still signed in after a forged sign-out");

        String token = alice.formToken("/cases/new");
        HttpResponse<String> out = alice.postForm("/logout", Map.of(CsrfTokens.FIELD, token));
        assertEquals(303, out.statusCode(), out.body());
        String location = out.headers().firstValue("Location").orElse("");
        assertTrue(location.startsWith(DemoUsers.realmUrl() + "/protocol/openid-connect/logout?")
                && location.contains("id_token_hint=") && location.contains("post_logout_redirect_uri="),
                "on to Keycloak's end of session, with the ID token as hint: " + location);

        HttpResponse<String> after = alice.get("/cases");
        assertEquals(302, after.statusCode(), "the session is gone here");
        assertTrue(after.headers().firstValue("Location").orElse("").startsWith(
                DemoUsers.realmUrl() + "/protocol/openid-connect/auth"), "a page sends to the login again");
    }
}
