package org.homeward.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.homeward.testing.DemoUsers;
import org.homeward.testing.PageSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The demo realm sends a login's code to one callback path of the app only ({@code /signed-in}, any loopback port, as
 * RFC 8252 allows for the tests' changing ports), and a sign-out back to the app's root only: a redirect URI of any
 * other path or host is refused by the real Keycloak, so a link crafted elsewhere cannot have a code sent to a page
 * that leaks it.
 */
@QuarkusTest
@Tag("shared-app")
class RedirectUriTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @TestHTTPResource("/")
    URL root;

    private static HttpResponse<String> authorize(String redirectUri) throws Exception {
        String url = DemoUsers.realmUrl() + "/protocol/openid-connect/auth?client_id=homeward-web&response_type=code"
                + "&scope=openid&state=s1&code_challenge_method=S256"
                + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&redirect_uri="
                + URLEncoder.encode(redirectUri, StandardCharsets.UTF_8);
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aCodeGoesToTheCallbackPathOnly() throws Exception {
        int port = root.getPort();
        HttpResponse<String> callback = authorize("http://127.0.0.1:" + port + "/signed-in");
        assertEquals(200, callback.statusCode(), "the app's callback on this port is accepted");
        assertTrue(callback.body().contains("kc-form-login") || callback.body().contains("username"),
                "Keycloak shows its login form");

        for (String other : new String[] {"http://127.0.0.1:" + port + "/cases", "http://127.0.0.1:" + port + "/",
                "http://127.0.0.1:" + port + "/signed-in/../api/me", "http://evil.example/signed-in",
                "http://127.0.0.1.evil.example/signed-in"}) {
            HttpResponse<String> refused = authorize(other);
            assertEquals(400, refused.statusCode(), other + " is refused");
            assertTrue(refused.body().contains("redirect_uri"), other + ": Keycloak names the redirect URI");
        }
    }

    @Test
    void aSignOutReturnsToTheAppsRootOnly() throws Exception {
        String logout = DemoUsers.realmUrl() + "/protocol/openid-connect/logout?client_id=homeward-web"
                + "&post_logout_redirect_uri=";
        HttpResponse<String> elsewhere = HTTP.send(HttpRequest.newBuilder(URI.create(logout
                + URLEncoder.encode("http://evil.example/", StandardCharsets.UTF_8))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, elsewhere.statusCode(), "a sign-out to another site is refused");

        String appRoot = "http://127.0.0.1:" + root.getPort() + "/";
        HttpResponse<String> home = HTTP.send(HttpRequest.newBuilder(URI.create(logout + URLEncoder.encode(appRoot,
                StandardCharsets.UTF_8))).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, home.statusCode(), "a sign-out to the app's root is accepted (no session: straight back)");
        assertEquals(appRoot, home.headers().firstValue("Location").orElse("").replaceAll("\\?.*", ""),
                "and it goes back to the app's root");
    }

    @Test
    void aPersonStillSignsInAndLandsOnThePageTheyAskedFor() throws Exception {
        // logIn follows the code through /signed-in and fails unless the person ends on /cases, signed in
        PageSession alice = PageSession.logIn(root.toURI(), DemoUsers.INVESTIGATOR_NORTH, "/cases");
        assertEquals(200, alice.get("/cases").statusCode());
    }
}
