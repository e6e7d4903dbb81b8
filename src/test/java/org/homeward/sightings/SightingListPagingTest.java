package org.homeward.sightings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.net.http.HttpResponse;
import java.sql.Connection;
import org.homeward.testing.Api;
import org.homeward.testing.DemoUsers;
import org.homeward.testing.PageSession;
import org.homeward.testing.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The sightings list reads one page at a time: more sightings than a page show the newest page and a next link. */
@QuarkusTest
@Tag("shared-app")
class SightingListPagingTest {

    @TestHTTPResource("/")
    URL root;

    @Test
    void moreSightingsThanAPageShowTheNewestPageAndANextLinkToTheirUnitOnly() throws Exception {
        String prefix = "SG-PAGE-" + System.nanoTime() + "-";
        int count = SightingService.PAGE_SIZE + 1;
        try (Connection c = TestDatabase.connect(TestDatabase.TEST_DB); var st = c.prepareStatement(
                "INSERT INTO sighting (reference, unit, seen_on, source, search_state, created_by, created_at)"
                        + " VALUES (?, 'north', DATE '2024-05-01', 'tip', 'ready', 'investigator.north',"
                        + " now() + interval '1 day' + ? * interval '1 second')")) {
            for (int i = 0; i < count; i++) {
                st.setString(1, prefix + i);
                st.setInt(2, i);
                st.executeUpdate();
            }
        }

        try {
            showsTheNewestPage(prefix, count);
        } finally {
            try (Connection c = TestDatabase.connect(TestDatabase.TEST_DB); var st = c.prepareStatement(
                    "DELETE FROM sighting WHERE reference LIKE ?")) {
                st.setString(1, prefix + "%");
                st.executeUpdate();
            }
        }
    }

    private void showsTheNewestPage(String prefix, int count) throws Exception {
        PageSession north = PageSession.logIn(root.toURI(), DemoUsers.INVESTIGATOR_NORTH);
        String first = page(north, "/sightings");
        assertTrue(first.contains(prefix + (count - 1) + "<"), "the newest is on the first page");
        assertFalse(first.contains(prefix + "0<"), "the oldest of them is one too many for it");
        assertTrue(first.contains("href=\"/sightings?page=1\""), "a next link");
        assertTrue(first.contains("page 1 of"), first);
        String second = page(north, "/sightings?page=1");
        assertTrue(second.contains(prefix + "0<"), "the next page has it");
        assertTrue(second.contains("href=\"/sightings?page=0\""), "and a link back");

        assertEquals(SightingService.PAGE_SIZE, Api.as(DemoUsers.INVESTIGATOR_NORTH).get("/api/sightings").then()
                .statusCode(200).extract().jsonPath().getList("id").size(), "the API pages alike");

        String south = page(PageSession.logIn(root.toURI(), DemoUsers.INVESTIGATOR_SOUTH), "/sightings");
        assertFalse(south.contains(prefix), "another unit sees none of them");
    }

    private static String page(PageSession session, String path) {
        HttpResponse<String> response = session.get(path);
        assertEquals(200, response.statusCode(), path);
        return response.body();
    }
}
