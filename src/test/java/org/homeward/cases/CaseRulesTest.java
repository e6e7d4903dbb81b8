package org.homeward.cases;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.startsWith;
import static org.homeward.cases.CaseAccessTest.as;
import static org.homeward.cases.CaseAccessTest.createCase;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.homeward.testing.DemoUsers;
import org.homeward.testing.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Bad input gets a clear error naming the field and changes nothing; two editors never overwrite each other. */
@QuarkusTest
@Tag("shared-app")
class CaseRulesTest {

    private static final String ALICE = DemoUsers.INVESTIGATOR_NORTH;

    private static long caseRows() throws Exception {
        try (var c = TestDatabase.connect(TestDatabase.TEST_DB); var s = c.createStatement();
                var rs = s.executeQuery("SELECT count(*) FROM case_file")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void rejected(Map<String, Object> form, String field) throws Exception {
        long before = caseRows();
        as(ALICE).body(form).post("/api/cases").then().statusCode(422)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("/problems/case-invalid"))
                .body("errors", hasKey(field));
        assertEquals(before, caseRows(), "nothing stored");
    }

    private static Map<String, Object> form(Object... keyValues) {
        Map<String, Object> form = new HashMap<>();
        form.put("childName", "Test Child");
        for (int i = 0; i < keyValues.length; i += 2) {
            form.put((String) keyValues[i], keyValues[i + 1]);
        }
        return form;
    }

    @Test
    void impossibleDatesAreRefused() throws Exception {
        String tomorrow = LocalDate.now().plusDays(1).toString();
        rejected(form("birthDate", "2015-01-01", "lastSeenDate", "2014-01-01"), "lastSeenDate");
        rejected(form("birthDate", tomorrow), "birthDate");
        rejected(form("lastSeenDate", tomorrow), "lastSeenDate");
        rejected(form("birthDateEarliest", "2012-01-01", "birthDateLatest", "2010-01-01"), "birthDateEarliest");
        rejected(form("birthDateEarliest", "2012-01-01"), "birthDateEarliest");
        rejected(form("birthDate", "2012-01-01", "birthDateEarliest", "2011-01-01", "birthDateLatest", "2012-06-01"), "birthDate");
    }

    @Test
    void missingAndOverlongFieldsAreRefused() throws Exception {
        rejected(form("childName", ""), "childName");
        rejected(form("childName", "x".repeat(201)), "childName");
        rejected(form("circumstances", "y".repeat(4001)), "circumstances");
    }

    @Test
    void malformedDateIsAProblemNotACrash() {
        as(ALICE).body("{\"childName\":\"A\",\"birthDate\":\"2012-13-45\"}").post("/api/cases").then().statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("/problems/malformed-request"));
    }

    @Test
    void unknownIdIs404() {
        as(ALICE).get("/api/cases/987654321").then().statusCode(404).body("type", equalTo("/problems/case-not-found"));
    }

    @Test
    void secondEditorWithAStaleVersionGetsAConflict() {
        long id = createCase(ALICE, "Conflict Child");
        int version = as(ALICE).get("/api/cases/" + id).then().extract().path("version");
        as(ALICE).body(form("childName", "First Edit", "version", version)).put("/api/cases/" + id).then().statusCode(200)
                .body("childName", equalTo("First Edit"));
        as(DemoUsers.SUPERVISOR_NORTH).body(form("childName", "Second Edit", "version", version)).put("/api/cases/" + id)
                .then().statusCode(409).body("type", equalTo("/problems/edit-conflict"));
        as(ALICE).get("/api/cases/" + id).then().body("childName", equalTo("First Edit"));
    }

    @Test
    void markupInTextIsStoredAsTextNotCode() {
        String script = "<script>alert('x')</script>";
        long id = ((Number) as(ALICE).body(form("childName", "Mark Up", "circumstances", script)).post("/api/cases")
                .then().statusCode(201).extract().path("id")).longValue();
        as(ALICE).get("/api/cases/" + id).then().body("circumstances", equalTo(script));
    }

    @Test
    void referenceIsHumanReadableAndUnique() {
        String a = as(ALICE).body(form()).post("/api/cases").then().statusCode(201).extract().path("reference");
        String b = as(ALICE).body(form()).post("/api/cases").then().statusCode(201).extract().path("reference");
        assertEquals(true, a.matches("HW-\\d{4}-\\d{6}"), a);
        assertEquals(false, a.equals(b));
    }
}
