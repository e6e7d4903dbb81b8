package org.homeward.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.util.Base64;
import org.homeward.testing.Api;
import org.homeward.testing.DemoUsers;
import org.homeward.testing.KeycloakAdmin;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A token Keycloak really issued, signed and for this client, is refused once it has expired: the API answers 401
 * and nothing of the caller's is shown.
 */
@QuarkusTest
@Tag("shared-app")
class ExpiredTokenTest {

    private static String freshToken() {
        return given().formParam("grant_type", "password").formParam("client_id", "homeward-web")
                .formParam("client_secret", "homeward-web-secret").formParam("username", DemoUsers.INVESTIGATOR_NORTH)
                .formParam("password", DemoUsers.PASSWORD).formParam("scope", "openid")
                .post(DemoUsers.realmUrl() + "/protocol/openid-connect/token").then().statusCode(200)
                .extract().path("access_token");
    }

    /** exp - iat of a token, in seconds. */
    private static long lifespan(String token, long[] expOut) {
        String claims = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        long exp = Long.parseLong(claims.replaceAll(".*\"exp\":(\\d+).*", "$1"));
        long iat = Long.parseLong(claims.replaceAll(".*\"iat\":(\\d+).*", "$1"));
        expOut[0] = exp;
        return exp - iat;
    }

    @Test
    void aRealTokenIsRefusedOnceItHasExpired() {
        String token = KeycloakAdmin.withAccessTokenLifespan(5, ExpiredTokenTest::freshToken);
        long[] expiry = new long[1];
        assertEquals(5, lifespan(token, expiry), "Keycloak issued a token that lives 5 s");
        long exp = expiry[0];
        assertEquals(900, lifespan(freshToken(), new long[1]), "and the client is back to the realm's 15 minutes");

        given().auth().oauth2(token).get("/api/me").then().statusCode(200);
        var refused = Api.until("the expired token", () -> given().auth().oauth2(token).get("/api/me"),
                r -> r.statusCode() != 200);
        assertEquals(401, refused.statusCode(), refused.asString());
        assertTrue(System.currentTimeMillis() / 1000 >= exp, "refused only after its expiry");
        assertTrue(!refused.asString().contains(DemoUsers.INVESTIGATOR_NORTH), "nothing of the caller's is shown");
    }
}
