package org.homeward.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.homeward.testing.Api;
import org.homeward.testing.DemoUsers;
import org.homeward.testing.PageSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Long text through the pages: what the fields let a person type (4,000 characters, line breaks counted once) is
 * taken, and a longer text comes back in the form with the field's own message, never as a bare HTTP 413.
 */
@QuarkusTest
@Tag("shared-app")
class LongTextTest {

    private static final String FIELD = "csrf-token";

    @TestHTTPResource("/")
    URL root;

    /** {@code length} characters as a textarea holds them, with a line break every 80: sent as CR LF by browsers. */
    static String typed(int length) {
        StringBuilder text = new StringBuilder();
        while (text.length() < length) {
            text.append(text.length() % 80 == 79 ? '\n' : (char) ('a' + text.length() % 26));
        }
        return text.toString();
    }

    private static String asSent(String typed) {
        return typed.replace("\n", "\r\n");
    }

    @Test
    void aNoteOfFourThousandCharactersIsTakenAndALongerOneComesBackWithItsMessage() throws Exception {
        long caseId = Api.createCase(DemoUsers.INVESTIGATOR_NORTH, "Long Note " + System.nanoTime(), "2010-01-01", "2015-01-01");
        PageSession alice = PageSession.logIn(root.toURI(), DemoUsers.INVESTIGATOR_NORTH);
        String page = "/cases/" + caseId;

        String exactly = typed(4000);
        HttpResponse<String> taken = alice.postForm(page + "/notes", Map.of(FIELD, alice.formToken(page), "body", asSent(exactly)));
        assertEquals(303, taken.statusCode(), taken.body());
        String notes = Api.as(DemoUsers.INVESTIGATOR_NORTH).get("/api/cases/" + caseId).then().statusCode(200).extract().asString();
        assertTrue(notes.contains(exactly.substring(3900, 3999).replace("\n", "\\n")), "the whole note is kept");

        String tooLong = typed(4001) + "THE END";
        HttpResponse<String> refused = alice.postForm(page + "/notes", Map.of(FIELD, alice.formToken(page), "body", asSent(tooLong)));
        assertEquals(422, refused.statusCode(), "a long note is the page again, not an HTTP 413");
        assertTrue(refused.body().contains("id=\"error-note-body\""), "the note field's own message");
        assertTrue(refused.body().contains("4008 characters; at most 4000"), refused.body());
        assertTrue(refused.body().contains("aria-invalid=\"true\""), "the field is marked invalid");
        assertTrue(refused.body().contains("THE END</textarea>"), "what was typed is kept in the field");
    }

    @Test
    void longCircumstancesComeBackInTheFormWithTheFieldsMessage() throws Exception {
        PageSession alice = PageSession.logIn(root.toURI(), DemoUsers.INVESTIGATOR_NORTH);
        String name = "Long Circumstances " + System.nanoTime();
        Map<String, String> form = new LinkedHashMap<>();
        form.put(FIELD, alice.formToken("/cases/new"));
        form.put("childName", name);
        form.put("sex", "female");
        form.put("circumstances", asSent(typed(4000)) + "x");
        form.put("distinguishingMarks", asSent(typed(4000)));
        HttpResponse<String> refused = alice.postForm("/cases", form);
        assertEquals(422, refused.statusCode(), "a long field is the form again, not an HTTP 413");
        assertTrue(refused.body().contains("id=\"error-circumstances\""), refused.body());
        assertTrue(refused.body().contains("4001 characters; at most 4000"), refused.body());
        assertTrue(refused.body().contains("x</textarea>") && refused.body().contains(name), "what was typed is kept");

        form.put(FIELD, alice.formToken("/cases/new"));
        form.put("circumstances", asSent(typed(4000)));
        HttpResponse<String> taken = alice.postForm("/cases", form);
        assertEquals(303, taken.statusCode(), "4,000 characters in each text field are taken");
    }
}
