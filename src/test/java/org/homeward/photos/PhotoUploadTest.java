package org.homeward.photos;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.homeward.testing.DemoUsers;
import org.homeward.testing.TestDatabase;
import org.homeward.testing.TestImages;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Uploads through the real API: good photos are stored once, bad ones get a clear problem and store nothing. */
@QuarkusTest
@Tag("shared-app")
class PhotoUploadTest {

    private static final Path STORE = Path.of("target/test-photos");

    private static String token() {
        return DemoUsers.accessToken(DemoUsers.INVESTIGATOR_NORTH);
    }

    private static ValidatableResponse post(byte[] body, String contentType) {
        return given().auth().oauth2(token()).contentType(contentType).body(body)
                .when().post("/api/photos").then();
    }

    /**
     * Temporary files in the folder the upload's own bytes would be written to: the worker writes projections
     * elsewhere in the store meanwhile, so the rest of the store proves nothing either way.
     */
    private static long tempFilesBeside(Path stored) throws IOException {
        if (!Files.isDirectory(stored.getParent())) {
            return 0;
        }
        try (var files = Files.list(stored.getParent())) {
            return files.filter(f -> f.getFileName().toString().endsWith(org.homeward.photos.store.FolderBlobStore.TEMP_SUFFIX)).count();
        }
    }

    private static Path storedPath(byte[] body) {
        String sha256 = PhotoStore.sha256(body);
        return STORE.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2, 4)).resolve(sha256);
    }

    private void assertRejected(byte[] body, String contentType, int status, String problemType) throws IOException {
        String sha256 = PhotoStore.sha256(body);
        post(body, contentType)
                .statusCode(status)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("/problems/" + problemType))
                .body("status", equalTo(status))
                .body("title", equalTo("Photo rejected"));
        assertTrue(Files.notExists(storedPath(body)), "no file stored for a rejected upload");
        assertEquals(0, tempFilesBeside(storedPath(body)), "no temporary file left by a rejected upload");
        assertEquals(0, TestDatabase.photoRows(sha256), "no row stored for a rejected upload");
    }

    @Test
    void notAnImageIsRefused() throws IOException {
        assertRejected("hello, this is text".getBytes(), "image/jpeg", 415, "not-an-image");
    }

    @Test
    void truncatedJpegIsRefused() throws IOException {
        byte[] jpeg = TestImages.generated("jpg", 320, 240, 7);
        assertRejected(Arrays.copyOf(jpeg, jpeg.length / 2), "image/jpeg", 422, "corrupt-image");
    }

    @Test
    void truncatedPngIsRefused() throws IOException {
        byte[] png = TestImages.generated("png", 320, 240, 8);
        assertRejected(Arrays.copyOf(png, png.length / 2), "image/png", 422, "corrupt-image");
    }

    @Test
    void emptyUploadIsRefused() throws IOException {
        assertRejected(new byte[0], "image/png", 400, "empty-photo");
    }

    @Test
    void decompressionBombIsRefusedBeforeDecoding() throws IOException {
        assertRejected(TestImages.pngClaiming(30000, 30000), "image/png", 422, "too-many-pixels");
    }

    @Test
    void wrongContentTypeIsRefused() throws IOException {
        assertRejected(TestImages.generated("png", 64, 64, 9), "text/plain", 415, "unsupported-media-type");
        assertRejected(TestImages.generated("png", 64, 64, 10), "image/jpeg", 415, "content-type-mismatch");
    }

    @Test
    void uploadOverTheSizeLimitIsRefused() throws IOException {
        byte[] big = new byte[5_500_000];
        big[0] = (byte) 0xFF;
        big[1] = (byte) 0xD8;
        big[2] = (byte) 0xFF;
        assertRejected(big, "image/jpeg", 413, "photo-too-large");
    }

    /**
     * Far over the limit, and within what the HTTP layer lets through (64 MB): the app answers once the limit is
     * passed, while the rest of the body has not even been sent, so it never waits for, nor holds, the whole body
     * (docs/reliability.md, "Memory").
     */
    @Test
    void aBodyFarOverTheLimitIsRefusedBeforeItHasAllArrived() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/photos HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token()
                    + "\r\nContent-Type: image/jpeg\r\nContent-Length: 40000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            chunk[0] = (byte) 0xFF;
            chunk[1] = (byte) 0xD8;
            chunk[2] = (byte) 0xFF;
            for (int sent = 0; sent < 6_000_000; sent += chunk.length) {
                out.write(chunk);
                chunk[0] = 0;
            }
            out.flush();
            // 6 of the 40 MB sent, and no more: an app that waited for the whole body would never answer
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertEquals("HTTP/1.1 413 Request Entity Too Large", status);
        }
    }

    @Test
    void photoIsStoredOnceAndQueued() throws IOException {
        byte[] png = TestImages.generated("png", 200, 150, System.nanoTime());
        int id = post(png, "image/png")
                .statusCode(201)
                .header("Location", containsString("/api/photos/"))
                .body("width", equalTo(200))
                .body("height", equalTo(150))
                .body("uploadedBy", equalTo(DemoUsers.INVESTIGATOR_NORTH))
                .body("sha256", equalTo(PhotoStore.sha256(png)))
                .extract().path("id");
        byte[] onDisk = Files.readAllBytes(storedPath(png));
        assertFalse(Arrays.equals(png, onDisk), "stored encrypted, not as sent");
        assertTrue(new String(onDisk, 0, 4, java.nio.charset.StandardCharsets.US_ASCII).equals("HWE1"), "sealed");

        // The same bytes again: the same photo, nothing stored twice.
        post(png, "image/png").statusCode(201).body("id", equalTo(id));
        assertEquals(1, TestDatabase.photoRows(PhotoStore.sha256(png)));

        assertArrayEquals(png, given().auth().oauth2(token()).when().get("/api/photos/" + id + "/content")
                .then().statusCode(200).contentType("image/png").extract().asByteArray(), "and served as sent");

        // Someone of another unit sends the same bytes: the same photo, and not who brought it first.
        given().auth().oauth2(DemoUsers.accessToken(DemoUsers.INVESTIGATOR_SOUTH)).contentType("image/png").body(png)
                .when().post("/api/photos").then().statusCode(201)
                .body("id", equalTo(id))
                .body("uploadedBy", equalTo(DemoUsers.INVESTIGATOR_SOUTH));
        given().auth().oauth2(DemoUsers.accessToken(DemoUsers.INVESTIGATOR_SOUTH)).when().get("/api/photos/" + id)
                .then().statusCode(200).body("uploadedBy", equalTo(DemoUsers.INVESTIGATOR_SOUTH));
    }

    @Test
    void newAndKnownBytesAreAnsweredAlike() {
        byte[] known = TestImages.generated("png", 120, 90, System.nanoTime());
        post(known, "image/png").statusCode(201);
        byte[] fresh = TestImages.generated("png", 120, 90, System.nanoTime() + 1);

        var south = DemoUsers.accessToken(DemoUsers.INVESTIGATOR_SOUTH);
        var first = given().auth().oauth2(south).contentType("image/png").body(fresh).post("/api/photos");
        var again = given().auth().oauth2(south).contentType("image/png").body(known).post("/api/photos");
        assertEquals(201, first.statusCode());
        assertEquals(first.statusCode(), again.statusCode(), "a known image answers like a new one");
        assertTrue(again.header("Location").endsWith("/api/photos/" + again.path("id")));
        assertEquals(first.jsonPath().getMap("$").keySet(), again.jsonPath().getMap("$").keySet());
        assertEquals(DemoUsers.INVESTIGATOR_SOUTH, first.path("uploadedBy"));
        assertEquals(DemoUsers.INVESTIGATOR_SOUTH, again.path("uploadedBy"), "the uploader is told of their own upload only");
    }

    /**
     * The load suite found it: a later uploader of known bytes was given the photo's location (201), and the location
     * answered 404, so known bytes still showed. Whoever uploaded the bytes opens the photo and its faces, and sees
     * their own upload, not who brought it first.
     */
    @Test
    void aLaterUploaderOfKnownBytesOpensThePhotoTheyWereGiven() {
        byte[] png = TestImages.generated("png", 130, 95, System.nanoTime());
        post(png, "image/png").statusCode(201);
        var south = DemoUsers.accessToken(DemoUsers.INVESTIGATOR_SOUTH);
        var again = given().auth().oauth2(south).contentType("image/png").body(png).post("/api/photos");
        assertEquals(201, again.statusCode());
        given().auth().oauth2(south).get(again.header("Location")).then().statusCode(200)
                .body("uploadedBy", equalTo(DemoUsers.INVESTIGATOR_SOUTH));
        given().auth().oauth2(south).get(again.header("Location") + "/faces").then().statusCode(200);
        // a colleague of south who uploaded nothing still gets nothing
        given().auth().oauth2(DemoUsers.accessToken(DemoUsers.SUPERVISOR_SOUTH)).get(again.header("Location")).then().statusCode(404);
    }

    @Test
    void whoUploadedAPhotoIsShownOnlyWithinTheirUnit() {
        byte[] png = TestImages.generated("png", 140, 100, System.nanoTime());
        int id = post(png, "image/png").statusCode(201).extract().path("id");
        long northCase = caseOf(DemoUsers.INVESTIGATOR_NORTH);
        long southCase = caseOf(DemoUsers.INVESTIGATOR_SOUTH);
        attach(DemoUsers.INVESTIGATOR_NORTH, northCase, png);
        // South attaches the same bytes to its own case, and so may see the photo...
        attach(DemoUsers.INVESTIGATOR_SOUTH, southCase, png);
        given().auth().oauth2(DemoUsers.accessToken(DemoUsers.INVESTIGATOR_SOUTH)).get("/api/photos/" + id)
                .then().statusCode(200).body("uploadedBy", equalTo(DemoUsers.INVESTIGATOR_SOUTH));
        // (south sent the bytes too, so it is told of its own upload; a colleague who sent nothing is told of none)
        given().auth().oauth2(DemoUsers.accessToken(DemoUsers.SUPERVISOR_SOUTH)).get("/api/photos/" + id)
                .then().statusCode(200).body("uploadedBy", nullValue()).body("uploadedAt", nullValue());
        // ...but who brought it is for the uploader's unit (and admins) only.
        given().auth().oauth2(DemoUsers.accessToken(DemoUsers.SUPERVISOR_NORTH)).get("/api/photos/" + id)
                .then().statusCode(200).body("uploadedBy", equalTo(DemoUsers.INVESTIGATOR_NORTH));
        given().auth().oauth2(DemoUsers.accessToken(DemoUsers.ADMIN)).get("/api/photos/" + id)
                .then().statusCode(200).body("uploadedBy", equalTo(DemoUsers.INVESTIGATOR_NORTH));
        given().auth().oauth2(token()).get("/api/photos/" + id)
                .then().statusCode(200).body("uploadedBy", equalTo(DemoUsers.INVESTIGATOR_NORTH));
    }

    private static long caseOf(String user) {
        return ((Number) given().auth().oauth2(DemoUsers.accessToken(user)).contentType("application/json")
                .body(java.util.Map.of("childName", "Photo Owner", "birthDate", "2011-02-03", "sex", "male"))
                .post("/api/cases").then().statusCode(201).extract().path("id")).longValue();
    }

    private static void attach(String user, long caseId, byte[] png) {
        given().auth().oauth2(DemoUsers.accessToken(user)).contentType("image/png").body(png)
                .post("/api/cases/" + caseId + "/photos").then().statusCode(201);
    }

    @Test
    void unknownPhotoIs404AndAuditorIsForbidden() {
        given().auth().oauth2(token()).when().get("/api/photos/999999999").then().statusCode(404);
        given().auth().oauth2(DemoUsers.accessToken(DemoUsers.AUDITOR)).contentType("image/png")
                .body(TestImages.generated("png", 32, 32, 11)).when().post("/api/photos").then().statusCode(403);
        given().contentType("image/png").body(TestImages.generated("png", 32, 32, 12))
                .when().post("/api/photos").then().statusCode(401);
    }
}
