package org.homeward.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.security.Authenticated;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.homeward.testing.Api;
import org.homeward.testing.DemoUsers;
import org.homeward.testing.TestImages;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The authorization matrix, generated from the routes the application serves: every JAX-RS method under
 * org.homeward is found by reflection over the compiled classes, so a new endpoint is covered without anyone
 * remembering it, and must be in {@link #ROUTES} with the roles that may call it (an unclassified route, or a table
 * entry no route has, fails the test). Each route's annotations must say what the table says; then every API route
 * is called anonymously (401), with another client's token (401), by a user of each role (403 where the table says
 * no, and never 401, 403 or a 5xx where it says yes), and every API route with an id by the other unit's
 * investigator with the first unit's ids (404, as for an id that does not exist). Every page route refuses the
 * anonymous: a GET is sent to Keycloak's login, a POST is never carried out. The table is written to
 * target/route-matrix.md and kept in docs/security.md.
 */
@QuarkusTest
@Tag("shared-app")
class RouteMatrixTest {

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URL root;

    /** The routes whose annotations let in more than the service does (the third column of the table). */
    static final Map<String, String> ANNOTATED = new LinkedHashMap<>();

    /**
     * Who may call each route: roles, "any" (any signed-in person), or "public"; where a service narrows what the
     * annotations let in (a supervisor's decision), the annotations' roles follow as a third column.
     */
    static final Map<String, String> ROUTES = table(
            route("GET /audit", "auditor admin"),
            route("GET /api/audit/verification", "auditor admin"),
            route("GET /cases", "investigator supervisor admin"),
            route("GET /cases/new", "investigator supervisor admin"),
            route("POST /cases", "investigator supervisor admin"),
            route("GET /cases/{id}", "investigator supervisor admin"),
            route("GET /cases/{id}/edit", "investigator supervisor admin"),
            route("POST /cases/{id}", "investigator supervisor admin"),
            route("POST /cases/{id}/status", "supervisor admin", "investigator supervisor admin"),
            route("POST /cases/{id}/notes", "investigator supervisor admin"),
            route("POST /cases/{id}/assignments", "supervisor admin", "investigator supervisor admin"),
            route("POST /cases/{id}/photos/{photoId}/child-face", "investigator supervisor admin"),
            route("GET /cases/{id}/photos/{photoId}", "investigator supervisor admin"),
            route("POST /cases/{id}/photos/{photoId}/faces", "investigator supervisor admin"),
            route("POST /cases/{id}/photos/{photoId}/facts", "investigator supervisor admin"),
            route("POST /cases/{id}/photos/{photoId}/remove", "investigator supervisor admin"),
            route("POST /cases/{id}/photos", "investigator supervisor admin"),
            route("GET /cases/{id}/progress", "investigator supervisor admin"),
            route("GET /cases/{id}/photos/{photoId}/image", "investigator supervisor admin"),
            route("GET /api/cases", "investigator supervisor admin"),
            route("POST /api/cases", "investigator supervisor admin"),
            route("GET /api/cases/{id}", "investigator supervisor admin"),
            route("PUT /api/cases/{id}", "investigator supervisor admin"),
            route("POST /api/cases/{id}/status", "supervisor admin", "investigator supervisor admin"),
            route("POST /api/cases/{id}/assignments", "supervisor admin", "investigator supervisor admin"),
            route("POST /api/cases/{id}/notes", "investigator supervisor admin"),
            route("POST /api/cases/{id}/photos", "investigator supervisor admin"),
            route("PUT /api/cases/{id}/photos/{photoId}", "investigator supervisor admin"),
            route("DELETE /api/cases/{id}/photos/{photoId}", "investigator supervisor admin"),
            route("PUT /api/cases/{id}/photos/{photoId}/child-face", "investigator supervisor admin"),
            route("DELETE /api/cases/{id}", "admin"),
            route("GET /faces/{id}/image", "investigator supervisor admin"),
            route("GET /faces/{id}/aligned", "investigator supervisor admin"),
            route("GET /admin/index", "admin"),
            route("GET /api/models/index", "admin"),
            route("GET /", "any"),
            route("GET /inbox", "investigator supervisor admin"),
            route("GET /inbox/{id}", "investigator supervisor admin"),
            route("POST /inbox/read", "investigator supervisor admin"),
            route("GET /api/inbox", "investigator supervisor admin"),
            route("POST /api/photos", "investigator supervisor admin"),
            route("GET /api/photos/{id}", "investigator supervisor admin"),
            route("GET /api/photos/{id}/faces", "investigator supervisor admin"),
            route("POST /api/photos/{id}/faces", "investigator supervisor admin"),
            route("GET /api/photos/{id}/drawn-faces", "investigator supervisor admin"),
            route("GET /api/photos/{id}/drawn-faces/{drawnId}", "investigator supervisor admin"),
            route("GET /api/photos/{id}/content", "investigator supervisor admin"),
            route("GET /cases/{id}/projections/{projectionId}/image", "investigator supervisor admin"),
            route("GET /cases/{id}/projections/faces/{faceId}/source", "investigator supervisor admin"),
            route("GET /cases/{id}/projections/sheet", "investigator supervisor admin"),
            route("GET /api/cases/{id}/projections", "investigator supervisor admin"),
            route("GET /api/cases/{id}/projections/{projectionId}/image", "investigator supervisor admin"),
            route("GET /referrals", "investigator supervisor admin"),
            route("POST /referrals/{id}/sharing", "investigator supervisor admin"),
            route("GET /api/referrals", "investigator supervisor admin"),
            route("GET /api/referrals/{id}", "investigator supervisor admin"),
            route("POST /api/referrals/{id}/sharing", "investigator supervisor admin"),
            route("GET /candidates", "investigator supervisor admin"),
            route("GET /candidates/{id}", "investigator supervisor admin"),
            route("POST /candidates/{id}/verdicts", "investigator supervisor admin"),
            route("POST /candidates/{id}/confirmation", "investigator supervisor admin"),
            route("GET /candidates/{id}/report", "investigator supervisor admin"),
            route("GET /api/candidates/{id}/report", "investigator supervisor admin"),
            route("GET /api/candidates", "investigator supervisor admin"),
            route("GET /api/candidates/{id}", "investigator supervisor admin"),
            route("POST /api/candidates/{id}/verdicts", "investigator supervisor admin"),
            route("POST /api/candidates/{id}/confirmation", "investigator supervisor admin"),
            route("GET /api/me", "any"),
            route("GET /session", "any"),
            route("POST /logout", "any"),
            route("GET /sightings", "investigator supervisor admin"),
            route("GET /sightings/new", "investigator supervisor admin"),
            route("POST /sightings", "investigator supervisor admin"),
            route("GET /sightings/{id}", "investigator supervisor admin"),
            route("GET /sightings/{id}/photos/{photoId}", "investigator supervisor admin"),
            route("POST /sightings/{id}/photos/{photoId}/faces", "investigator supervisor admin"),
            route("GET /sightings/{id}/progress", "investigator supervisor admin"),
            route("POST /sightings/photos", "investigator supervisor admin"),
            route("GET /sightings/photos/{photoId}", "investigator supervisor admin"),
            route("GET /sightings/{id}/photos/{photoId}/image", "investigator supervisor admin"),
            route("POST /api/sightings", "investigator supervisor admin"),
            route("GET /api/sightings", "investigator supervisor admin"),
            route("GET /api/sightings/{id}", "investigator supervisor admin"));

    private static final Map<String, String> ROLE_USERS = new LinkedHashMap<>(Map.of(
            "investigator", DemoUsers.INVESTIGATOR_NORTH, "supervisor", DemoUsers.SUPERVISOR_NORTH,
            "admin", DemoUsers.ADMIN, "auditor", DemoUsers.AUDITOR));

    private static final long NO_SUCH_ID = 987_654_321L;

    record Route(String method, String path, String roles, Class<?> type, Method handler) {
        String key() {
            return method + " " + path;
        }

        boolean api() {
            return path.startsWith("/api/");
        }
    }

    @Test
    void everyRouteIsClassifiedAndEnforcedForEveryRoleAndUnit() throws Exception {
        List<Route> served = servedRoutes();
        Set<String> servedKeys = served.stream().map(Route::key).collect(Collectors.toCollection(TreeSet::new));
        Set<String> unclassified = new TreeSet<>(servedKeys);
        unclassified.removeAll(ROUTES.keySet());
        assertTrue(unclassified.isEmpty(), "routes the matrix does not classify (add them to ROUTES): " + unclassified);
        Set<String> stale = new TreeSet<>(ROUTES.keySet());
        stale.removeAll(servedKeys);
        assertTrue(stale.isEmpty(), "ROUTES names routes the application no longer serves: " + stale);
        for (Route r : served) {
            assertEquals(ANNOTATED.getOrDefault(r.key(), ROUTES.get(r.key())), r.roles(),
                    r.key() + ": the annotations and the matrix disagree");
        }

        byte[] portrait = TestImages.debianPortrait(TestImages.GRACE_HOPPER).orElse(null);
        assumeTrue(portrait != null, "SKIPPED: " + TestImages.GRACE_HOPPER + " absent (python-matplotlib-data)");
        Fixture north = Fixture.create(portrait);
        List<String> failures = new ArrayList<>();
        // pages first, before the API calls below change or remove north's things
        int calls = pagesWithAnotherUnitsIds(served, north, failures);
        String otherClient = otherClientToken();
        List<Route> api = served.stream().filter(Route::api).toList();
        // anonymous, another client, then the other unit with this unit's ids: before any call that may change them
        for (Route r : api) {
            calls += expect(failures, r, null, north, Set.of(401), "anonymous");
            calls += expect(failures, r, otherClient, north, Set.of(401), "admin-cli token");
            if (r.path().contains("{") && (allows(r, "investigator"))) {
                calls += expect(failures, r, DemoUsers.accessToken(DemoUsers.INVESTIGATOR_SOUTH), north, Set.of(404),
                        "investigator.south with unit north's ids");
            }
        }
        List<Route> byRisk = new ArrayList<>(api);
        byRisk.sort((a, b) -> Boolean.compare(a.method().equals("DELETE"), b.method().equals("DELETE")));
        for (Route r : byRisk) {
            for (Map.Entry<String, String> role : ROLE_USERS.entrySet()) {
                String token = DemoUsers.accessToken(role.getValue());
                if (allows(r, role.getKey())) {
                    calls += allowed(failures, r, token, north, role.getKey());
                } else {
                    calls += expect(failures, r, token, north, Set.of(403), role.getKey());
                }
            }
        }
        for (Route r : served) {
            if (r.api() || r.roles().equals("public")) {
                continue;
            }
            Response response = callPage(r, north);
            calls++;
            boolean toLogin = response.statusCode() == 302
                    && response.header("Location").startsWith(DemoUsers.realmUrl() + "/protocol/openid-connect/auth");
            boolean refused = r.method().equals("GET") ? toLogin : toLogin || Set.of(401, 403).contains(response.statusCode());
            // (a CSRF refusal, 403, also means nothing was done; the login redirect comes first when it does not)
            if (!refused) {
                failures.add(r.key() + " anonymous: " + response.statusCode());
            }
        }
        writeTable(served, calls);
        assertTrue(failures.isEmpty(), failures.size() + " of " + calls + " calls broke the matrix:\n" + String.join("\n", failures));
    }

    private static int expect(List<String> failures, Route r, String token, Fixture ids, Set<Integer> wanted, String who) {
        Response response = call(r, token, ids);
        if (!wanted.contains(response.statusCode())) {
            failures.add(r.key() + " as " + who + ": " + response.statusCode() + " (wanted " + wanted + ")");
        }
        return 1;
    }

    private static int allowed(List<String> failures, Route r, String token, Fixture ids, String who) {
        Response response = call(r, token, ids);
        int status = response.statusCode();
        if (status == 401 || status == 403 || status >= 500) {
            failures.add(r.key() + " as " + who + " (allowed): " + status + " " + response.asString());
        }
        return 1;
    }

    private static boolean allows(Route r, String role) {
        String roles = ROUTES.get(r.key());
        return roles.equals("any") || roles.equals("public") || Arrays.asList(roles.split(" ")).contains(role);
    }

    private static Response call(Route r, String token, Fixture ids) {
        RequestSpecification request = given().redirects().follow(false);
        if (token != null) {
            request = request.auth().oauth2(token);
        }
        if (!r.method().equals("GET") && !r.method().equals("DELETE")) {
            request = request.contentType("application/json").body("{}");
        }
        return request.request(r.method(), ids.fill(r.path()));
    }

    /** A page route called without a session, with the body its form sends (URL-encoded or multipart). */
    private static Response callPage(Route r, Fixture ids) {
        RequestSpecification request = given().redirects().follow(false);
        jakarta.ws.rs.Consumes consumes = r.handler().getAnnotation(jakarta.ws.rs.Consumes.class);
        if (r.method().equals("POST") && consumes != null) {
            request = Arrays.asList(consumes.value()).contains("multipart/form-data")
                    ? request.multiPart("file", "x.png", new byte[] {1}, "image/png")
                    : request.contentType("application/x-www-form-urlencoded").formParam("field", "value");
        }
        return request.request(r.method(), ids.fill(r.path()));
    }

    /**
     * Every page route that takes ids, opened with unit north's real ids: north's investigator sees the page (so the
     * ids are real), south's gets 404 (so it does not exist for them). Routes whose ids the fixture has no real value
     * for (an inbox message, a referral, a face) are left to their own tests.
     */
    private int pagesWithAnotherUnitsIds(List<Route> served, Fixture north, List<String> failures) throws Exception {
        org.homeward.testing.PageSession owner = org.homeward.testing.PageSession.logIn(root.toURI(), DemoUsers.INVESTIGATOR_NORTH);
        org.homeward.testing.PageSession other = org.homeward.testing.PageSession.logIn(root.toURI(), DemoUsers.INVESTIGATOR_SOUTH);
        int calls = 0;
        for (Route r : served) {
            if (r.api() || !r.method().equals("GET") || !r.path().contains("{")) {
                continue;
            }
            String path = north.fillPage(r.path());
            if (path == null) {
                continue;
            }
            String accept = path.endsWith("/image") ? "image/*" : path.endsWith("/progress") ? "application/json" : "text/html";
            int own = owner.get(path, accept).statusCode();
            int theirs = other.get(path, accept).statusCode();
            calls += 2;
            if (own != 200) {
                failures.add(r.key() + " " + path + " as investigator.north (own unit): " + own);
            }
            // A sighting's photo is shown to a unit the sighting was referred to (docs/referrals.md): earlier tests
            // may have made such a referral to unit south from a face like this one, so its image is not checked here.
            boolean referable = r.path().equals("/sightings/{id}/photos/{photoId}/image");
            if (theirs != 404 && !referable) {
                failures.add(r.key() + " " + path + " as investigator.south with unit north's ids: " + theirs + " (wanted 404)");
            }
        }
        return calls;
    }

    /** Ids of unit north's own things, for the path parameters of the routes. */
    record Fixture(long caseId, long casePhotoId, long sightingId, long candidateId, long sightingPhotoId) {

        /** A page path with north's real ids, or null when one of its ids has no real value here. */
        String fillPage(String path) {
            String filled;
            if (path.startsWith("/cases/")) {
                filled = path.replace("{id}", String.valueOf(caseId)).replace("{photoId}", String.valueOf(casePhotoId));
            } else if (path.startsWith("/sightings/photos/")) {
                return null; // a photo staged for a sighting not yet recorded: the uploader's own, tested with the sighting form
            } else if (path.startsWith("/sightings/")) {
                filled = path.replace("{id}", String.valueOf(sightingId)).replace("{photoId}", String.valueOf(sightingPhotoId));
            } else if (path.startsWith("/candidates/") && candidateId != NO_SUCH_ID && !path.endsWith("/report")) {
                filled = path.replace("{id}", String.valueOf(candidateId));
            } else {
                return null;
            }
            return filled.contains("{") ? null : filled;
        }


        static Fixture create(byte[] portrait) {
            Api.Match match = Api.caseAndSightingOfOneFace(DemoUsers.INVESTIGATOR_NORTH, "Matrix Child " + System.nanoTime(),
                    portrait);
            long candidate = match.candidateIds().isEmpty() ? NO_SUCH_ID : match.candidateIds().get(0);
            return new Fixture(match.caseId(), match.casePhotoId(), match.sightingId(), candidate, match.sightingPhotoId());
        }

        String fill(String path) {
            String id = path.startsWith("/api/cases/") ? String.valueOf(caseId)
                    : path.startsWith("/api/photos/") ? String.valueOf(casePhotoId)
                    : path.startsWith("/api/sightings/") ? String.valueOf(sightingId)
                    : path.startsWith("/api/candidates/") ? String.valueOf(candidateId)
                    : String.valueOf(NO_SUCH_ID);
            return path.replace("{id}", id).replace("{photoId}", String.valueOf(casePhotoId))
                    .replaceAll("\\{[a-zA-Z]+\\}", String.valueOf(NO_SUCH_ID));
        }
    }

    private static String otherClientToken() {
        return given().formParam("grant_type", "password").formParam("client_id", "admin-cli")
                .formParam("username", DemoUsers.INVESTIGATOR_NORTH).formParam("password", DemoUsers.PASSWORD)
                .formParam("scope", "openid").post(DemoUsers.realmUrl() + "/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }

    /** Every JAX-RS method of the application, with the roles its annotations give it. */
    static List<Route> servedRoutes() throws IOException, ClassNotFoundException {
        java.nio.file.Path classes = Paths.get("target", "classes");
        assertTrue(Files.isDirectory(classes.resolve("org/homeward")), "compiled classes under " + classes.toAbsolutePath());
        List<String> names;
        try (Stream<java.nio.file.Path> files = Files.walk(classes.resolve("org/homeward"))) {
            names = files.map(p -> classes.relativize(p).toString()).filter(n -> n.endsWith(".class") && !n.contains("$"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.')).sorted().toList();
        }
        List<Route> routes = new ArrayList<>();
        for (String name : names) {
            Class<?> type = Class.forName(name, false, Thread.currentThread().getContextClassLoader());
            Path base = type.getAnnotation(Path.class);
            if (base == null) {
                continue;
            }
            for (Method m : type.getDeclaredMethods()) {
                String verb = verb(m);
                if (verb == null) {
                    continue;
                }
                Path sub = m.getAnnotation(Path.class);
                String path = join(base.value(), sub == null ? "" : sub.value());
                routes.add(new Route(verb, path, roles(type, m), type, m));
            }
        }
        return routes;
    }

    private static String verb(Method m) {
        for (Class<? extends Annotation> a : List.of(GET.class, POST.class, PUT.class, DELETE.class, PATCH.class)) {
            if (m.isAnnotationPresent(a)) {
                return a.getSimpleName();
            }
        }
        return null;
    }

    private static String join(String base, String sub) {
        String path = ("/" + base + "/" + sub).replaceAll("/+", "/");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static String roles(Class<?> type, Method m) {
        if (m.isAnnotationPresent(PermitAll.class)) {
            return "public";
        }
        RolesAllowed roles = m.isAnnotationPresent(RolesAllowed.class) ? m.getAnnotation(RolesAllowed.class)
                : type.getAnnotation(RolesAllowed.class);
        if (roles != null) {
            return String.join(" ", roles.value());
        }
        if (m.isAnnotationPresent(Authenticated.class) || type.isAnnotationPresent(Authenticated.class)) {
            return "any";
        }
        return type.isAnnotationPresent(PermitAll.class) ? "public" : "unannotated";
    }

    private static void writeTable(List<Route> served, int calls) throws IOException {
        Map<String, Route> sorted = new TreeMap<>();
        served.forEach(r -> sorted.put(r.path() + " " + r.method(), r));
        StringBuilder md = new StringBuilder("| route | who may call it |\n|---|---|\n");
        for (Route r : sorted.values()) {
            String effective = ROUTES.get(r.key());
            md.append("| `").append(r.key()).append("` | ").append(effective)
                    .append(effective.equals(r.roles()) ? "" : " (annotations: " + r.roles() + "; the service narrows it)")
                    .append(" |\n");
        }
        md.append("\n").append(served.size()).append(" routes (").append(served.stream().filter(Route::api).count())
                .append(" API), ").append(calls).append(" calls.\n");
        Files.createDirectories(Paths.get("target"));
        Files.writeString(Paths.get("target", "route-matrix.md"), md);
    }

    private static Map<String, String> table(String[]... rows) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String[] row : rows) {
            if (out.put(row[0], row[1]) != null) {
                throw new IllegalArgumentException("twice in the matrix: " + row[0]);
            }
            if (row.length > 2) {
                ANNOTATED.put(row[0], row[2]);
            }
        }
        return out;
    }

    private static String[] route(String key, String roles) {
        return new String[] {key, roles};
    }

    private static String[] route(String key, String roles, String annotated) {
        return new String[] {key, roles, annotated};
    }
}
