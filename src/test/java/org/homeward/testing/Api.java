package org.homeward.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;

/** The REST API as a demo user calls it with a real Keycloak token: the steps sighting tests repeat. */
public final class Api {

    private Api() {
    }

    public static RequestSpecification as(String user) {
        return given().auth().oauth2(DemoUsers.accessToken(user)).contentType("application/json");
    }

    /** Opens a case of a girl born and last seen on the given dates; returns its id. */
    public static long createCase(String user, String name, String born, String lastSeen) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("childName", name, "birthDate", born, "sex", "female"));
        body.put("lastSeenDate", lastSeen);
        return ((Number) as(user).body(body).post("/api/cases").then().statusCode(201).extract().path("id")).longValue();
    }

    /** Adds a childhood photo taken on the given date to a case; returns the photo's id. */
    public static long attachCasePhoto(String user, long caseId, byte[] png, String takenOn) {
        List<Map<String, Object>> photos = as(user).contentType("image/png").body(png).queryParam("takenOn", takenOn)
                .post("/api/cases/" + caseId + "/photos").then().statusCode(201).extract().jsonPath().getList("photos");
        return ((Number) photos.get(photos.size() - 1).get("photoId")).longValue();
    }

    /** Uploads a photo (POST /api/photos) and returns its id. */
    public static long uploadPhoto(String user, byte[] bytes, String contentType) {
        return ((Number) as(user).contentType(contentType).body(bytes).post("/api/photos").then()
                .statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(201), org.hamcrest.Matchers.is(200)))
                .extract().path("id")).longValue();
    }

    /** Waits until the worker has analysed the photo (done or failed) and returns its state. */
    public static String awaitPhoto(String user, long photoId) {
        long deadline = System.currentTimeMillis() + 300_000;
        while (true) {
            String state = as(user).get("/api/photos/" + photoId).then().statusCode(200).extract().path("state");
            if ("done".equals(state) || "failed".equals(state)) {
                return state;
            }
            assertTrue(System.currentTimeMillis() < deadline, "photo " + photoId + " not analysed in time");
            sleep(300);
        }
    }

    /** Records a sighting of already analysed photos; returns its id. */
    public static long createSighting(String user, String seenOn, List<Long> photoIds) {
        return ((Number) as(user).body(Map.of("seenOn", seenOn, "source", "tip", "place", "Test station",
                "photoIds", photoIds)).post("/api/sightings").then().statusCode(201).extract().path("id")).longValue();
    }

    /** Waits for the sighting's search to finish and returns the sighting as JSON. */
    public static JsonPath awaitSearch(String user, long sightingId) {
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            JsonPath s = as(user).get("/api/sightings/" + sightingId).then().statusCode(200).extract().jsonPath();
            String state = s.getString("searchState");
            if (!"waiting".equals(state) && !"searching".equals(state)) {
                return s;
            }
            assertTrue(System.currentTimeMillis() < deadline, "sighting " + sightingId + " not searched in time");
            sleep(300);
        }
    }

    /**
     * A case of the child named {@code child} with {@code portrait} as its childhood photo, and a sighting of the same
     * face recorded by the same investigator and searched: what a test needs to find a candidate. All analysed.
     */
    public record Match(long caseId, long casePhotoId, long sightingPhotoId, long sightingId, List<Long> candidateIds) {
    }

    public static Match caseAndSightingOfOneFace(String user, String child, byte[] portrait) {
        long caseId = createCase(user, child, "2012-03-04", "2016-05-06");
        long casePhoto = attachCasePhoto(user, caseId, TestImages.unique(portrait, System.nanoTime()), "2016-03-04");
        awaitPhoto(user, casePhoto);
        long sightingPhoto = uploadPhoto(user, TestImages.unique(portrait, System.nanoTime()), "image/png");
        awaitPhoto(user, sightingPhoto);
        long sighting = createSighting(user, java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString(), List.of(sightingPhoto));
        List<Long> candidates = awaitSearch(user, sighting).getList("candidates.id", Long.class);
        return new Match(caseId, casePhoto, sightingPhoto, sighting, candidates);
    }

    /** Calls until the answer is what {@code done} waits for (a service coming back), for at most 90 seconds. */
    public static io.restassured.response.Response until(String what,
            java.util.function.Supplier<io.restassured.response.Response> call,
            java.util.function.Predicate<io.restassured.response.Response> done) {
        long deadline = System.currentTimeMillis() + 90_000;
        while (true) {
            io.restassured.response.Response r = call.get();
            if (done.test(r)) {
                return r;
            }
            assertTrue(System.currentTimeMillis() < deadline, what + ": still " + r.statusCode() + " after 90 s");
            sleep(500);
        }
    }

    /**
     * Polls a case's projections (as investigator.north) until each of its {@code faces} searched faces has a
     * decision, projections or a reason; the worker draws them in the background, after every waiting upload.
     */
    public static JsonPath projectionsDecided(long caseId, int faces) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 240_000;
        while (true) {
            JsonPath strips = as(DemoUsers.INVESTIGATOR_NORTH).get("/api/cases/" + caseId + "/projections").then()
                    .statusCode(200).extract().jsonPath();
            List<Map<String, Object>> all = strips.getList("$");
            long done = all.stream().filter(s -> s.get("reason") != null || !((List<?>) s.get("projections")).isEmpty()).count();
            if (all.size() == faces && done == faces) {
                return strips;
            }
            assertTrue(System.currentTimeMillis() < deadline, "projections not decided in time: " + all);
            Thread.sleep(500);
        }
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
