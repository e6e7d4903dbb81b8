package org.homeward.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.net.URL;
import java.util.Map;
import org.homeward.testing.Api;
import org.homeward.testing.DemoUsers;
import org.homeward.testing.PageSession;
import org.homeward.testing.TcpProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Keycloak goes away and comes back (the app reaches it through a loopback proxy this test opens and closes; the
 * real Keycloak the other tests use keeps running): while it is away a page says sign-in is unavailable and the
 * API answers 503 problem+json, never a bare 401 or a 500; once it is back, signing in works without a restart,
 * and someone signed in stays signed in through the next outage.
 */
@QuarkusTest
@TestProfile(KeycloakOutageTest.ThroughProxy.class)
class KeycloakOutageTest {

    static final TcpProxy KEYCLOAK = new TcpProxy(TcpProxy.freePort(),
            Integer.parseInt(System.getenv().getOrDefault("HOMEWARD_KC_PORT", "58180")));

    public static class ThroughProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("homeward.keycloak.url", "http://127.0.0.1:" + KEYCLOAK.port() + "/realms/homeward");
        }
    }

    @TestHTTPResource("/")
    URL root;

    @AfterAll
    static void closeProxy() {
        KEYCLOAK.close();
    }

    private static Response page(String path) {
        return given().redirects().follow(false).accept("text/html").get(path);
    }

    private static String tokenThroughProxy(String user) {
        return given().formParam("grant_type", "password").formParam("client_id", "homeward-web")
                .formParam("client_secret", "homeward-web-secret").formParam("username", user)
                .formParam("password", DemoUsers.PASSWORD).formParam("scope", "openid")
                .post(DemoUsers.realmUrl() + "/protocol/openid-connect/token").then().statusCode(200)
                .extract().path("access_token");
    }

    @Test
    void signInIsUnavailableWhileKeycloakIsAwayAndWorksAgainWhenItIsBack() throws Exception {
        // Away since the app started.
        Response away = Api.until("the page while Keycloak is away", () -> page("/cases"), r -> r.statusCode() == 503);
        assertTrue(away.asString().contains("Sign-in is unavailable right now"), away.asString());
        assertEquals("30", away.header("Retry-After"));
        Response api = given().auth().oauth2("eyJhbGciOiJSUzI1NiJ9.e30.c2ln").get("/api/me");
        assertEquals(503, api.statusCode(), api.asString());
        assertTrue(api.contentType().startsWith("application/problem+json"));
        assertEquals("/problems/identity-service-unavailable", api.path("type"));

        // Back: the login starts again and works, without restarting Homeward.
        KEYCLOAK.open();
        Response login = Api.until("the page once Keycloak is back", () -> page("/cases"), r -> r.statusCode() == 302);
        assertTrue(login.header("Location").startsWith(DemoUsers.realmUrl() + "/protocol/openid-connect/auth"),
                login.header("Location"));
        PageSession alice = PageSession.logIn(root.toURI(), DemoUsers.INVESTIGATOR_NORTH);
        assertEquals(200, alice.get("/cases").statusCode());
        given().auth().oauth2(tokenThroughProxy(DemoUsers.INVESTIGATOR_NORTH)).get("/api/me").then().statusCode(200);

        // Away again: the signed-in person keeps working; a new visitor is told sign-in is unavailable.
        KEYCLOAK.close();
        Api.until("a new visitor during the second outage", () -> page("/cases"), r -> r.statusCode() == 503);
        assertEquals(200, alice.get("/cases").statusCode(), "a session whose tokens are still valid goes on");
    }
}
