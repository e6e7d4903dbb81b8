package org.homeward.cases;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import org.homeward.testing.DemoUsers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The access matrix against the real Keycloak tokens: each role x (own unit, other unit, assigned) x each
 * action. A case the caller may not see is a 404, exactly like one that does not exist.
 */
@QuarkusTest
@Tag("shared-app")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CaseAccessTest {

    private long north;
    private long south;
    private long southAssignedToAlice;

    static RequestSpecification as(String user) {
        return given().auth().oauth2(DemoUsers.accessToken(user)).contentType("application/json");
    }

    static long createCase(String user, String name) {
        return ((Number) as(user).body(Map.of("childName", name, "birthDate", "2012-03-04", "lastSeenDate", "2019-06-01",
                "sex", "female")).post("/api/cases").then().statusCode(201).extract().path("id")).longValue();
    }

    /** Opened on first use: RestAssured knows the test port only once a test method runs. */
    @BeforeEach
    void openCases() {
        if (north != 0) {
            return;
        }
        north = createCase(DemoUsers.INVESTIGATOR_NORTH, "North Child");
        south = createCase(DemoUsers.INVESTIGATOR_SOUTH, "South Child");
        southAssignedToAlice = createCase(DemoUsers.INVESTIGATOR_SOUTH, "South Assigned");
        as(DemoUsers.SUPERVISOR_SOUTH).body(Map.of("username", DemoUsers.INVESTIGATOR_NORTH))
                .post("/api/cases/" + southAssignedToAlice + "/assignments").then().statusCode(200);
    }

    private int view(String user, long id) {
        return as(user).get("/api/cases/" + id).statusCode();
    }

    private int note(String user, long id) {
        return as(user).body(Map.of("body", "seen by " + user)).post("/api/cases/" + id + "/notes").statusCode();
    }

    private int status(String user, long id) {
        return as(user).body(Map.of("status", "open", "reason", "still missing")).post("/api/cases/" + id + "/status")
                .statusCode();
    }

    private int assign(String user, long id) {
        return as(user).body(Map.of("username", "someone.else")).post("/api/cases/" + id + "/assignments").statusCode();
    }

    private int delete(String user, long id) {
        return as(user).queryParam("reason", "test").delete("/api/cases/" + id).statusCode();
    }

    @Test
    void investigatorSeesOwnUnitAndAssignedCasesOnly() {
        String alice = DemoUsers.INVESTIGATOR_NORTH;
        assertEquals(List.of(200, 404, 200), List.of(view(alice, north), view(alice, south), view(alice, southAssignedToAlice)));
        assertEquals(List.of(200, 404, 200), List.of(note(alice, north), note(alice, south), note(alice, southAssignedToAlice)));
        assertEquals(List.of(403, 404, 403), List.of(status(alice, north), status(alice, south), status(alice, southAssignedToAlice)));
        assertEquals(List.of(403, 404, 403), List.of(assign(alice, north), assign(alice, south), assign(alice, southAssignedToAlice)));
        assertEquals(List.of(403, 403, 403), List.of(delete(alice, north), delete(alice, south), delete(alice, southAssignedToAlice)));
    }

    @Test
    void supervisorRunsAllOfTheirUnitAndNothingElse() {
        String carla = DemoUsers.SUPERVISOR_NORTH;
        assertEquals(List.of(200, 404, 404), List.of(view(carla, north), view(carla, south), view(carla, southAssignedToAlice)));
        assertEquals(List.of(200, 404, 404), List.of(status(carla, north), status(carla, south), status(carla, southAssignedToAlice)));
        assertEquals(List.of(200, 404, 404), List.of(assign(carla, north), assign(carla, south), assign(carla, southAssignedToAlice)));
        assertEquals(List.of(200, 404, 404), List.of(note(carla, north), note(carla, south), note(carla, southAssignedToAlice)));
        assertEquals(403, delete(carla, north));
    }

    @Test
    void auditorSeesNoCaseContent() {
        for (long id : new long[] {north, south, southAssignedToAlice}) {
            assertEquals(403, view(DemoUsers.AUDITOR, id));
            assertEquals(403, note(DemoUsers.AUDITOR, id));
        }
        as(DemoUsers.AUDITOR).get("/api/cases").then().statusCode(403);
    }

    @Test
    void adminSeesEveryUnit() {
        for (long id : new long[] {north, south, southAssignedToAlice}) {
            assertEquals(200, view(DemoUsers.ADMIN, id));
            assertEquals(200, status(DemoUsers.ADMIN, id));
        }
    }

    @Test
    void listNeverReturnsAnotherUnitsCases() {
        List<Map<String, Object>> items = as(DemoUsers.INVESTIGATOR_NORTH).queryParam("q", "Child")
                .get("/api/cases").then().statusCode(200).extract().jsonPath().getList("items");
        assertTrue(items.stream().allMatch(c -> c.get("unit").equals("north")),
                "only north cases (south ones only when assigned, and these are not): " + items);
        List<Map<String, Object>> assigned = as(DemoUsers.INVESTIGATOR_NORTH).queryParam("q", "South Assigned")
                .get("/api/cases").then().extract().jsonPath().getList("items");
        assertTrue(assigned.stream().anyMatch(c -> ((Number) c.get("id")).longValue() == southAssignedToAlice));
        List<Map<String, Object>> southView = as(DemoUsers.SUPERVISOR_SOUTH).get("/api/cases").then().extract()
                .jsonPath().getList("items");
        assertFalse(southView.stream().anyMatch(c -> ((Number) c.get("id")).longValue() == north));
    }

    @Test
    void adminDeletesWithAReasonOnly() {
        long doomed = createCase(DemoUsers.INVESTIGATOR_NORTH, "To Be Deleted");
        as(DemoUsers.ADMIN).delete("/api/cases/" + doomed).then().statusCode(422)
                .body("errors.reason", equalTo("Say why the case is deleted."));
        assertEquals(204, delete(DemoUsers.ADMIN, doomed));
        assertEquals(404, view(DemoUsers.ADMIN, doomed));
    }

    @Test
    void ageFilterOutOfRangeIs400NamingTheParameter() {
        as(DemoUsers.INVESTIGATOR_NORTH).queryParam("minAge", "2000000000").get("/api/cases").then().statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("/problems/invalid-filter"))
                .body("errors.minAge", containsString("minAge"));
        as(DemoUsers.INVESTIGATOR_NORTH).queryParam("maxAge", "-1").get("/api/cases").then().statusCode(400)
                .body("errors.maxAge", containsString("maxAge"));
        as(DemoUsers.INVESTIGATOR_NORTH).queryParam("minAge", "ten").get("/api/cases").then().statusCode(400)
                .body("errors.minAge", containsString("whole number"));
        as(DemoUsers.INVESTIGATOR_NORTH).queryParam("minAge", "12").queryParam("maxAge", "5").get("/api/cases")
                .then().statusCode(400).body("errors.maxAge", containsString("below minAge"));
        as(DemoUsers.INVESTIGATOR_NORTH).queryParam("minAge", "0").queryParam("maxAge", "150").get("/api/cases")
                .then().statusCode(200);
    }
}
