package org.homeward.load;

import static io.gatling.javaapi.core.CoreDsl.ByteArrayBody;
import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.rampConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Investigators at work, each with a real Keycloak token: they open a case, then for the length of the run browse
 * the case list and their case, upload a photo (fgnet-dev, read in place), wait until the worker has analysed it,
 * record a sighting of it and open the sighting. Every request must succeed: the run fails on any error. The queue's
 * depth is sampled from the database every 5 s ({@link QueueDepth}). Settings are system properties (users, seconds,
 * photos, homeward.url, homeward.realm, homeward.jdbc); deploy/homeward suite load sets them.
 */
public class InvestigatorsSimulation extends Simulation {

    private static final String APP = System.getProperty("homeward.url", "http://127.0.0.1:8480");
    private static final String REALM = System.getProperty("homeward.realm", "http://127.0.0.1:58180/realms/homeward");
    private static final String SECRET = System.getProperty("homeward.client-secret", "homeward-web-secret");
    private static final int USERS = Integer.getInteger("users", 8);
    private static final int SECONDS = Integer.getInteger("seconds", 180);
    private static final Path PHOTOS = Path.of(System.getProperty("photos", "../shared/data/fgnet-dev/images"));
    private static final List<String> INVESTIGATORS = List.of("investigator.north", "investigator.south");

    private final QueueDepth queue = new QueueDepth(System.getProperty("homeward.jdbc",
            "jdbc:postgresql://127.0.0.1:55432/homeward"), System.getProperty("homeward.jdbc.user", "homeward"),
            System.getProperty("homeward.jdbc.password", "homeward"));

    private static List<byte[]> photos() {
        try (Stream<Path> files = Files.list(PHOTOS)) {
            List<byte[]> all = files.filter(p -> p.toString().toLowerCase().endsWith(".jpg")).sorted()
                    .map(InvestigatorsSimulation::read).toList();
            if (all.isEmpty()) {
                throw new IllegalStateException("no .jpg photos in " + PHOTOS.toAbsolutePath());
            }
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException("the load suite uploads fgnet-dev photos and cannot read " + PHOTOS, e);
        }
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Who each virtual investigator is (north and south in turn), for the whole run. */
    private static Iterator<Map<String, Object>> investigators() {
        AtomicInteger next = new AtomicInteger();
        return Stream.generate(() -> {
            int n = next.getAndIncrement();
            return Map.<String, Object>of("user", INVESTIGATORS.get(n % INVESTIGATORS.size()), "n", n);
        }).iterator();
    }

    /** The next photo to upload, round the folder. */
    private static Iterator<Map<String, Object>> photoFeeder() {
        List<byte[]> photos = photos();
        AtomicInteger next = new AtomicInteger();
        return Stream.generate(() -> Map.<String, Object>of("photo",
                photos.get(next.getAndIncrement() % photos.size()))).iterator();
    }

    private static final ChainBuilder SIGN_IN = exec(http("sign in (Keycloak token)")
            .post(REALM + "/protocol/openid-connect/token")
            .formParam("grant_type", "password").formParam("client_id", "homeward-web")
            .formParam("client_secret", SECRET).formParam("username", "#{user}")
            .formParam("password", "homeward-demo").formParam("scope", "openid")
            .check(status().is(200), jsonPath("$.access_token").saveAs("token")));

    private static final ChainBuilder OPEN_A_CASE = exec(http("open a case").post("/api/cases")
            .header("Authorization", "Bearer #{token}").header("Content-Type", "application/json")
            .body(StringBody("{\"childName\":\"Load Test Child #{n}\",\"birthDate\":\"2010-01-01\",\"sex\":\"female\","
                    + "\"lastSeenDate\":\"2015-06-01\"}"))
            .check(status().is(201), jsonPath("$.id").saveAs("caseId")));

    private static final ChainBuilder BROWSE = exec(http("list cases").get("/api/cases?page=0")
            .header("Authorization", "Bearer #{token}").check(status().is(200)))
            .exec(http("view a case").get("/api/cases/#{caseId}")
                    .header("Authorization", "Bearer #{token}").check(status().is(200)));

    private static boolean analysed(Session s) {
        String state = s.contains("state") ? s.getString("state") : "";
        return "done".equals(state) || "failed".equals(state);
    }

    private static final ChainBuilder UPLOAD_AND_WAIT = exec(session -> session.set("state", "queued"))
            .exec(http("upload a photo").post("/api/photos")
                    .header("Authorization", "Bearer #{token}").header("Content-Type", "image/jpeg")
                    .body(ByteArrayBody("#{photo}"))
                    .check(status().is(201), jsonPath("$.id").saveAs("photoId"), jsonPath("$.state").saveAs("state")))
            .group("photo analysed (upload to done)").on(
                    asLongAsNotAnalysed(exec(http("photo state").get("/api/photos/#{photoId}")
                            .header("Authorization", "Bearer #{token}")
                            .check(status().is(200), jsonPath("$.state").saveAs("state")))
                            .pause(Duration.ofMillis(500))));

    private static ChainBuilder asLongAsNotAnalysed(ChainBuilder poll) {
        return io.gatling.javaapi.core.CoreDsl.asLongAsDuring(s -> !analysed(s), Duration.ofSeconds(180)).on(poll);
    }

    /** A sighting is recorded of a photo with a usable face, as a person would (the API refuses others, 422). */
    private static final ChainBuilder RECORD_A_SIGHTING = io.gatling.javaapi.core.CoreDsl
            .doIf(s -> "done".equals(s.getString("state"))).then(
                    exec(session -> session.remove("usable"))
                    .exec(http("photo faces").get("/api/photos/#{photoId}/faces")
                            .header("Authorization", "Bearer #{token}")
                            .check(status().is(200),
                                    jsonPath("$[*].usable").ofBoolean().findAll().optional().saveAs("usable"))))
            .doIf(s -> s.contains("usable") && s.getList("usable").contains(true)).then(
                    exec(http("record a sighting").post("/api/sightings")
                            .header("Authorization", "Bearer #{token}").header("Content-Type", "application/json")
                            .body(StringBody("{\"seenOn\":\"2024-05-01\",\"source\":\"tip\",\"place\":\"Load test\","
                                    + "\"photoIds\":[#{photoId}]}"))
                            .check(status().is(201), jsonPath("$.id").saveAs("sightingId")))
                    .exec(http("view the sighting").get("/api/sightings/#{sightingId}")
                            .header("Authorization", "Bearer #{token}").check(status().is(200))));

    {
        var investigator = scenario("investigator")
                .feed(investigators())
                .exec(SIGN_IN, OPEN_A_CASE)
                .during(Duration.ofSeconds(SECONDS)).on(
                        io.gatling.javaapi.core.CoreDsl.feed(photoFeeder()),
                        SIGN_IN, BROWSE, UPLOAD_AND_WAIT, RECORD_A_SIGHTING,
                        io.gatling.javaapi.core.CoreDsl.pause(Duration.ofSeconds(1), Duration.ofSeconds(3)));

        setUp(investigator.injectClosed(rampConcurrentUsers(1).to(USERS).during(Duration.ofSeconds(20)),
                constantConcurrentUsers(USERS).during(Duration.ofSeconds(SECONDS))))
                .protocols(http.baseUrl(APP).acceptHeader("application/json").shareConnections())
                .assertions(global().failedRequests().count().is(0L));
    }

    @Override
    public void before() {
        queue.start();
    }

    @Override
    public void after() {
        queue.stopAndReport(Path.of(System.getProperty("queue.report", "queue-depth.csv")));
    }
}
