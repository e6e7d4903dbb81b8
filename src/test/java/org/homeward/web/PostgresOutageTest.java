package org.homeward.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.Map;
import org.homeward.testing.Api;
import org.homeward.testing.DemoUsers;
import org.homeward.testing.PageSession;
import org.homeward.testing.TcpProxy;
import org.homeward.testing.TestDatabase;
import org.homeward.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL goes away during uploads and searches and comes back (the app reaches it through a loopback proxy this
 * test closes and opens; the real server keeps running): meanwhile the API answers 503 problem+json and pages a
 * readable 503, nothing is half-stored, and afterwards the app works again without a restart and everything it
 * acknowledged before is there.
 */
@QuarkusTest
@TestProfile(PostgresOutageTest.ThroughProxy.class)
class PostgresOutageTest {

    static final TcpProxy POSTGRES = new TcpProxy(TcpProxy.freePort(),
            Integer.parseInt(System.getenv().getOrDefault("HOMEWARD_PG_PORT", "55432")));

    public static class ThroughProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            POSTGRES.open(); // before Quarkus starts: the migrations run through it
            return Map.of("quarkus.datasource.jdbc.url",
                    "jdbc:postgresql://127.0.0.1:" + POSTGRES.port() + "/" + TestDatabase.TEST_DB);
        }
    }

    @TestHTTPResource("/")
    URL root;

    @AfterAll
    static void closeProxy() {
        POSTGRES.close();
    }

    @Test
    void whileTheDatabaseIsAwayRequestsGetA503AndAfterwardsEverythingAcknowledgedIsThere() throws Exception {
        String user = DemoUsers.INVESTIGATOR_NORTH;
        long before = Api.uploadPhoto(user, TestImages.generated("png", 120, 90, System.nanoTime()), "image/png");
        PageSession alice = PageSession.logIn(root.toURI(), user);
        assertEquals(200, alice.get("/cases").statusCode());

        POSTGRES.close();
        byte[] during = TestImages.generated("png", 120, 90, System.nanoTime());
        Response upload = Api.as(user).contentType("image/png").body(during).post("/api/photos");
        assertEquals(503, upload.statusCode(), upload.asString());
        assertTrue(upload.contentType().startsWith("application/problem+json"), upload.contentType());
        assertEquals("/problems/database-unavailable", upload.path("type"));
        Response list = Api.as(user).get("/api/cases");
        assertEquals(503, list.statusCode(), list.asString());
        HttpResponse<String> page = alice.get("/cases");
        assertEquals(503, page.statusCode(), page.body());
        assertTrue(page.body().contains("database"), page.body());

        POSTGRES.open();
        Api.until("the case list once PostgreSQL is back", () -> Api.as(user).get("/api/cases"), r -> r.statusCode() == 200);
        Api.as(user).get("/api/photos/" + before).then().statusCode(200);
        long after = Api.uploadPhoto(user, during, "image/png");
        assertEquals(201, Api.as(user).contentType("image/png").body(TestImages.generated("png", 120, 90, System.nanoTime()))
                .post("/api/photos").statusCode());
        assertTrue(after > 0);
        assertEquals(200, alice.get("/cases").statusCode(), "the page session goes on");
        String state = Api.awaitPhoto(user, after);
        assertTrue(state.equals("done") || state.equals("failed"), "the worker took it up again: " + state);
    }
}
