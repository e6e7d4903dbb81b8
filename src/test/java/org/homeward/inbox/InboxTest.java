package org.homeward.inbox;

import static org.homeward.testing.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.homeward.testing.DemoUsers;
import org.homeward.testing.PageSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The inbox on the real app, with real tokens: a message reaches the person or unit it is addressed to and nobody
 * else, a copy to a person and to their unit shows once, and opening a message marks it read and leads where it
 * points, for its readers only.
 */
@QuarkusTest
@Tag("shared-app")
class InboxTest {

    static final String NORTH = DemoUsers.INVESTIGATOR_NORTH;
    static final String SOUTH = DemoUsers.INVESTIGATOR_SOUTH;

    @Inject
    Inbox inbox;

    @TestHTTPResource("/")
    URL root;

    @Test
    void aMessageReachesItsAddresseesOnlyAndShowsOnceThroughPersonAndUnit() {
        String toNorth = "to north " + UUID.randomUUID();
        String toSouthUnit = "to unit south " + UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> {
            inbox.toPeople(Set.of(NORTH), "inbox-test", 1, toNorth, "/cases");
            inbox.toUnit("north", "inbox-test", 1, toNorth, "/cases");
            inbox.toUnit("south", "inbox-test", 2, toSouthUnit, "/sightings");
        });

        List<String> north = messages(NORTH).stream().map(m -> (String) m.get("message")).toList();
        List<String> south = messages(SOUTH).stream().map(m -> (String) m.get("message")).toList();
        assertEquals(1, north.stream().filter(toNorth::equals).count(), "north sees its message once: " + north);
        assertFalse(north.contains(toSouthUnit), "north does not see unit south's message");
        assertTrue(south.contains(toSouthUnit), "south's investigator sees the message to the unit: " + south);
        assertFalse(south.contains(toNorth), "south does not see north's message");
    }

    @Test
    void openingAMessageMarksItReadAndLeadsToItsLinkForItsReaderOnly() throws Exception {
        String text = "open me " + UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> inbox.toPeople(Set.of(NORTH), "inbox-test", 3, text, "/sightings"));
        Map<String, Object> message = messages(NORTH).stream().filter(m -> text.equals(m.get("message"))).findFirst()
                .orElseThrow();
        assertEquals(false, message.get("read"));
        long id = ((Number) message.get("id")).longValue();

        assertEquals(404, PageSession.logIn(root.toURI(), SOUTH).get("/inbox/" + id).statusCode(), "not south's message");
        HttpResponse<String> opened = PageSession.logIn(root.toURI(), NORTH).get("/inbox/" + id);
        assertEquals(303, opened.statusCode());
        String location = opened.headers().firstValue("Location").orElse("");
        assertTrue(location.endsWith("/sightings"), "the message leads to its link: " + location);
        assertEquals(true, messages(NORTH).stream().filter(m -> text.equals(m.get("message"))).findFirst().orElseThrow()
                .get("read"), "opened, it is read");
    }

    private static List<Map<String, Object>> messages(String user) {
        return as(user).get("/api/inbox").then().statusCode(200).extract().jsonPath().getList("$");
    }
}
