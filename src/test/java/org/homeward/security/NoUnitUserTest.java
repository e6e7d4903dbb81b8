package org.homeward.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.homeward.testing.DemoUsers;
import org.homeward.testing.KeycloakAdmin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Someone with a role but no unit (a new account, a unit not yet set) gets lists that hold nothing of any
 * unit, never an error: the unit rule matches nothing rather than comparing with a made-up value.
 */
@QuarkusTest
@Tag("shared-app")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NoUnitUserTest {

    private final String investigator = "test.nounit.inv." + System.nanoTime();
    private final String supervisor = "test.nounit.sup." + System.nanoTime();
    private String investigatorId;
    private String supervisorId;

    @BeforeAll
    void createPeopleWithoutAUnit() {
        investigatorId = KeycloakAdmin.createUserWithoutUnit(investigator, Roles.INVESTIGATOR);
        supervisorId = KeycloakAdmin.createUserWithoutUnit(supervisor, Roles.SUPERVISOR);
    }

    @AfterAll
    void deleteThem() {
        if (investigatorId != null) {
            KeycloakAdmin.deleteUser(investigatorId);
        }
        if (supervisorId != null) {
            KeycloakAdmin.deleteUser(supervisorId);
        }
    }

    private static io.restassured.specification.RequestSpecification as(String user) {
        return given().auth().oauth2(DemoUsers.accessToken(user)).contentType("application/json");
    }

    @Test
    void investigatorWithoutAUnitSeesOnlyTheCasesAssignedToThem() {
        as(investigator).get("/api/me").then().statusCode(200).body("unit", equalTo(null));
        long assigned = ((Number) as(DemoUsers.INVESTIGATOR_NORTH)
                .body(Map.of("childName", "Assigned Across", "birthDate", "2013-05-06", "sex", "male"))
                .post("/api/cases").then().statusCode(201).extract().path("id")).longValue();
        as(DemoUsers.SUPERVISOR_NORTH).body(Map.of("username", investigator))
                .post("/api/cases/" + assigned + "/assignments").then().statusCode(200);

        List<Number> ids = as(investigator).get("/api/cases").then().statusCode(200).extract().jsonPath().getList("items.id");
        assertEquals(List.of(assigned), ids.stream().map(Number::longValue).toList());
        as(investigator).get("/api/cases/" + assigned).then().statusCode(200);
    }

    @Test
    void supervisorWithoutAUnitSeesNoCase() {
        as(supervisor).get("/api/cases").then().statusCode(200).body("total", equalTo(0));
    }

    @Test
    void sightingsAndInboxAreEmptyNotAnError() {
        for (String user : List.of(investigator, supervisor)) {
            as(user).get("/api/sightings").then().statusCode(200).body("size()", equalTo(0));
            as(user).get("/api/inbox").then().statusCode(200);
        }
    }
}
