package org.homeward.testing;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;

/**
 * The demo Keycloak's admin API (deploy/lib/keycloak.sh's bootstrap admin, local demo only), for tests that
 * need a person the demo realm does not have, such as someone with a role but no unit.
 */
public final class KeycloakAdmin {

    private static final String ADMIN = env("HOMEWARD_KC_ADMIN", "admin");
    private static final String ADMIN_PASSWORD = env("HOMEWARD_KC_ADMIN_PASSWORD", "admin");

    private KeycloakAdmin() {
    }

    private static String serverUrl() {
        String realm = DemoUsers.realmUrl();
        return realm.substring(0, realm.indexOf("/realms/"));
    }

    private static String adminToken() {
        return given().formParam("grant_type", "password").formParam("client_id", "admin-cli")
                .formParam("username", ADMIN).formParam("password", ADMIN_PASSWORD)
                .post(serverUrl() + "/realms/master/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }

    /** Creates an enabled user of the homeward realm with one realm role and no unit; returns its id. */
    public static String createUserWithoutUnit(String username, String role) {
        String token = adminToken();
        String users = serverUrl() + "/admin/realms/homeward/users";
        given().auth().oauth2(token).contentType("application/json")
                .body(Map.of("username", username, "enabled", true, "firstName", "Test", "lastName", "No Unit",
                        "email", username + "@homeward.test", "emailVerified", true,
                        "credentials", List.of(Map.of("type", "password", "value", DemoUsers.PASSWORD, "temporary", false))))
                .post(users).then().statusCode(201);
        String id = given().auth().oauth2(token).queryParam("username", username).queryParam("exact", true)
                .get(users).then().statusCode(200).extract().path("[0].id");
        Map<String, Object> roleRepresentation = given().auth().oauth2(token)
                .get(serverUrl() + "/admin/realms/homeward/roles/" + role).then().statusCode(200).extract().as(Map.class);
        given().auth().oauth2(token).contentType("application/json").body(List.of(roleRepresentation))
                .post(users + "/" + id + "/role-mappings/realm").then().statusCode(204);
        return id;
    }

    public static void deleteUser(String id) {
        given().auth().oauth2(adminToken()).delete(serverUrl() + "/admin/realms/homeward/users/" + id)
                .then().statusCode(204);
    }

    /**
     * Runs {@code action} while the homeward-web client issues access tokens that live {@code seconds}, then puts the
     * client back as it was, whatever happens: a token that expires can only come from Keycloak itself.
     */
    @SuppressWarnings("unchecked")
    public static <T> T withAccessTokenLifespan(int seconds, java.util.function.Supplier<T> action) {
        String token = adminToken();
        String clients = serverUrl() + "/admin/realms/homeward/clients";
        String id = given().auth().oauth2(token).queryParam("clientId", "homeward-web").get(clients)
                .then().statusCode(200).extract().path("[0].id");
        Map<String, Object> client = given().auth().oauth2(token).get(clients + "/" + id).then().statusCode(200)
                .extract().as(Map.class);
        Map<String, Object> attributes = new java.util.HashMap<>((Map<String, Object>) client.get("attributes"));
        Object before = attributes.get("access.token.lifespan");
        attributes.put("access.token.lifespan", String.valueOf(seconds));
        client.put("attributes", attributes);
        given().auth().oauth2(token).contentType("application/json").body(client).put(clients + "/" + id)
                .then().statusCode(204);
        try {
            return action.get();
        } finally {
            attributes.put("access.token.lifespan", before == null ? "" : before);
            client.put("attributes", attributes);
            given().auth().oauth2(adminToken()).contentType("application/json").body(client).put(clients + "/" + id)
                    .then().statusCode(204);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
