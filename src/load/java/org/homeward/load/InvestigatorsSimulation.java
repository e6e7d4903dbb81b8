package org.homeward.load;

import static io.gatling.javaapi.core.CoreDsl.ByteArrayBody;
import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
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
 * depth is sampled from the database every 5 s, and how long the worker took from upload to analysed is read from the
 * audit trail at the end ({@link QueueDepth}). Settings are system properties (users, seconds,
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

    /**
     * The next photo to upload, round the folder, made new bytes each time by a JPEG comment after the start marker
     * (the pixels stay as they are): known bytes would be answered from what is stored, and the worker would have
     * nothing to do.
     */
    private static Iterator<Map<String, Object>> photoFeeder() {
        List<byte[]> photos = photos();
        AtomicInteger next = new AtomicInteger();
        return Stream.generate(() -> {
            int n = next.getAndIncrement();
            return Map.<String, Object>of("photo", withComment(photos.get(n % photos.size()),
                    "homeward load " + System.nanoTime() + " " + n));
        }).iterator();
    }

    private static byte[] withComment(byte[] jpeg, String text) {
        byte[] comment = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int length = comment.length + 2;
        byte[] out = new byte[jpeg.length + 4 + comment.length];
        out[0] = jpeg[0];
        out[1] = jpeg[1]; // SOI
        out[2] = (byte) 0xFF;
        out[3] = (byte) 0xFE; // COM
        out[4] = (byte) (length >> 8);
        out[5] = (byte) length;
        System.arraycopy(comment, 0, out, 6, comment.length);
        System.arraycopy(jpeg, 2, out, 6 + comment.length, jpeg.length - 2);
        return out;
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
            .exec(asLongAsNotAnalysed(exec(http("photo state").get("/api/photos/#{photoId}")
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
                // one sign-in per investigator: the token (15 minutes) outlasts the run, and signing in again every
                // few seconds from parallel sessions gets a demo account locked by Keycloak's brute-force guard
                .exec(SIGN_IN, OPEN_A_CASE)
                .during(Duration.ofSeconds(SECONDS)).on(
                        io.gatling.javaapi.core.CoreDsl.feed(photoFeeder()),
                        BROWSE, UPLOAD_AND_WAIT, RECORD_A_SIGHTING,
                        io.gatling.javaapi.core.CoreDsl.pause(Duration.ofSeconds(1), Duration.ofSeconds(3)));

        // the investigators arrive over 20 s and each works for the run's length
        setUp(investigator.injectOpen(rampUsers(USERS).during(Duration.ofSeconds(20))))
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
