package org.homeward.testing;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.ConfigProvider;

/** The demo realm's users, and real access tokens for them from the running Keycloak (password grant). */
public final class DemoUsers {

    public static final String PASSWORD = "homeward-demo";
    public static final String INVESTIGATOR_NORTH = "investigator.north";
    public static final String INVESTIGATOR_SOUTH = "investigator.south";
    public static final String SUPERVISOR_NORTH = "supervisor.north";
    public static final String SUPERVISOR_SOUTH = "supervisor.south";
    public static final String AUDITOR = "auditor";
    public static final String ADMIN = "admin";

    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

    private DemoUsers() {
    }

    /** The realm URL the app itself trusts, so the token's issuer is the one the app checks. */
    public static String realmUrl() {
        return ConfigProvider.getConfig().getValue("homeward.keycloak.url", String.class);
    }

    public static String accessToken(String username) {
        return TOKENS.computeIfAbsent(username, DemoUsers::fetchToken);
    }

    private static String fetchToken(String username) {
        return given()
                .formParam("grant_type", "password")
                .formParam("client_id", "homeward-web")
                .formParam("client_secret", "homeward-web-secret")
                .formParam("username", username)
                .formParam("password", PASSWORD)
                .formParam("scope", "openid")
                .when().post(realmUrl() + "/protocol/openid-connect/token")
                .then().statusCode(200)
                .extract().path("access_token");
    }
}
