package org.homeward.faces;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.homeward.testing.Api;
import org.homeward.testing.TestImages;
import org.junit.jupiter.api.Test;

/**
 * The app on a bundle whose detector has one weight changed (checksum updated, as a wrong runtime would
 * look): it stays up, readiness is DOWN naming the package with its figure and tolerance, the worker
 * takes no job, the metric says 0, and the admin's index status carries the verdicts.
 */
@QuarkusTest
@TestProfile(DamagedModelsTest.DamagedDetector.class)
class DamagedModelsTest {

    /** /q/metrics on the management interface (its own port, root path /q), not next to the pages. */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/metrics", management = true)
    java.net.URL metricsUrl;

    public static class DamagedDetector implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path models = ModelSelfTestTest.DamagedBundle.copyWithDamagedDetector(
                        Files.createTempDirectory("homeward-damaged-models"));
                return Map.of("homeward.models.dir", models.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void theAppStaysUpButIsNotReadyAndTheWorkerTakesNoJob() {
        String ready = awaitSelfTestVerdict();
        assertTrue(ready.contains("FAIL dlib-face-detector-mmod: score map max |diff|")
                && ready.contains("(tolerance 0.00010)"), ready);
        assertTrue(ready.contains("PASS dlib-face-embedder-v1"), ready);
        given().get("/q/health/live").then().statusCode(200);

        long photo = Api.uploadPhoto("investigator.north",
                TestImages.unique(TestImages.generated("png", 240, 200, 11), System.nanoTime()), "image/png");
        Api.sleep(3000);
        assertEquals("queued", Api.as("investigator.north").get("/api/photos/" + photo).then().statusCode(200)
                .extract().path("state"), "the worker must take no job while the models fail their self-test");

        String metrics = given().get(metricsUrl.toString()).then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("homeward_models_selftest 0.0"), "self-test gauge");
        assertTrue(metrics.contains("homeward_models_selftest_package{package=\"dlib-face-detector-mmod\"} 0.0"), "package gauge");

        JsonPath index = Api.as("admin").get("/api/models/index").then().statusCode(200).extract().jsonPath();
        assertEquals("FAILED", index.getString("selfTest.state"));
        assertTrue(index.getList("selfTest.verdicts", String.class).stream()
                .anyMatch(v -> v.startsWith("FAIL dlib-face-detector-mmod")), index.prettify());
    }

    /** Readiness's body once the self-test has run (DOWN while it runs, too). */
    private static String awaitSelfTestVerdict() {
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            var response = given().get("/q/health/ready");
            String body = response.asString();
            if (body.contains("dlib-face-detector-mmod")) {
                assertEquals(503, response.statusCode(), body);
                return body;
            }
            assertTrue(System.currentTimeMillis() < deadline, "no self-test verdict in readiness: " + body);
            Api.sleep(500);
        }
    }
}
