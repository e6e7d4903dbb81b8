package org.homeward.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import org.homeward.testing.DemoUsers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Real tokens from the running Keycloak against the endpoint matrix: anonymous 401, allowed 200, wrong role 403. */
@QuarkusTest
@Tag("shared-app")
class AccessMatrixTest {

    @Test
    void anonymousApiCallGets401NotARedirect() {
        given().redirects().follow(false)
                .when().get("/api/cases")
                .then().statusCode(401);
        given().redirects().follow(false)
                .when().get("/api/me")
                .then().statusCode(401);
    }

    @Test
    void investigatorReadsCases() {
        given().auth().oauth2(DemoUsers.accessToken(DemoUsers.INVESTIGATOR_NORTH))
                .when().get("/api/cases")
                .then().statusCode(200);
    }

    @Test
    void auditorIsForbiddenFromCaseContent() {
        given().auth().oauth2(DemoUsers.accessToken(DemoUsers.AUDITOR))
                .when().get("/api/cases")
                .then().statusCode(403);
    }

    @Test
    void investigatorIsForbiddenFromTheAuditTrail() {
        given().auth().oauth2(DemoUsers.accessToken(DemoUsers.INVESTIGATOR_NORTH))
                .when().get("/api/audit/verification")
                .then().statusCode(403);
    }

    @Test
    void auditorVerifiesTheTrail() {
        given().auth().oauth2(DemoUsers.accessToken(DemoUsers.AUDITOR))
                .when().get("/api/audit/verification")
                .then().statusCode(200);
    }

    @Test
    void tokenCarriesNameRolesAndUnit() {
        given().auth().oauth2(DemoUsers.accessToken(DemoUsers.SUPERVISOR_SOUTH))
                .when().get("/api/me")
                .then().statusCode(200)
                .body("username", equalTo("supervisor.south"))
                .body("name", equalTo("Dmitri Novak"))
                .body("unit", equalTo("south"))
                .body("roles", hasItem("supervisor"));
        given().auth().oauth2(DemoUsers.accessToken(DemoUsers.INVESTIGATOR_NORTH))
                .when().get("/api/me")
                .then().body("roles", containsInAnyOrder("investigator"))
                .body("unit", equalTo("north"));
    }

    @Test
    void forgedTokenIsRejected() {
        String real = DemoUsers.accessToken(DemoUsers.INVESTIGATOR_NORTH);
        String[] parts = real.split("\\.");
        String tampered = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        given().auth().oauth2(tampered)
                .when().get("/api/cases")
                .then().statusCode(401);
    }

    @Test
    void tokenOfAnotherClientOfTheRealmIsRefused() {
        // admin-cli is in every realm and gives tokens without a client secret: it must not open the API.
        String adminCli = given().formParam("grant_type", "password").formParam("client_id", "admin-cli")
                .formParam("username", DemoUsers.INVESTIGATOR_NORTH).formParam("password", DemoUsers.PASSWORD)
                .formParam("scope", "openid")
                .post(DemoUsers.realmUrl() + "/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
        given().auth().oauth2(adminCli).when().get("/api/me").then().statusCode(401);
        given().auth().oauth2(adminCli).when().get("/api/cases").then().statusCode(401);
        given().auth().oauth2(DemoUsers.accessToken(DemoUsers.INVESTIGATOR_NORTH))
                .when().get("/api/me").then().statusCode(200);
    }

    @Test
    void anonymousPageRedirectsToKeycloakLogin() {
        given().redirects().follow(false)
                .when().get("/")
                .then().statusCode(302)
                .header("Location", startsWith(DemoUsers.realmUrl() + "/protocol/openid-connect/auth"));
    }
}
