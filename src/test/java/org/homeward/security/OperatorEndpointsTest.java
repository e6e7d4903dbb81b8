package org.homeward.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import org.eclipse.microprofile.config.ConfigProvider;
import org.homeward.testing.DemoUsers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Metrics and the OpenAPI document are for operators: served on the management interface (loopback, a port
 * of its own), not on the port the pages and the API are served on. Health stays on the main port.
 */
@QuarkusTest
@Tag("shared-app")
class OperatorEndpointsTest {

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @TestHTTPResource(value = "/openapi", management = true)
    URL openapi;

    @TestHTTPResource("/")
    URL root;

    @Test
    void metricsAndOpenApiAreNotOnTheMainPort() {
        for (String path : new String[] {"/q/metrics", "/q/openapi"}) {
            given().redirects().follow(false).get(path).then().statusCode(404);
            given().redirects().follow(false).auth().oauth2(DemoUsers.accessToken(DemoUsers.ADMIN)).get(path)
                    .then().statusCode(404);
        }
    }

    @Test
    void theManagementInterfaceServesThemOnLoopbackOnItsOwnPort() {
        assertNotEquals(root.getPort(), metrics.getPort());
        assertEquals("127.0.0.1", ConfigProvider.getConfig().getValue("quarkus.management.host", String.class));
        assertEquals("/q/metrics", metrics.getPath());
        String body = given().get(metrics.toString()).then().statusCode(200).extract().asString();
        assertTrue(body.contains("jvm_"), "Prometheus metrics at " + metrics);
        assertEquals("/q/openapi", openapi.getPath());
        given().get(openapi.toString()).then().statusCode(200);
    }

    @Test
    void healthStaysOnTheMainPort() {
        int live = given().get("/q/health/live").statusCode();
        assertEquals(200, live);
    }
}
