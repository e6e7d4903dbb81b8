package org.homeward.faces;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pgvector.PGvector;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.homeward.testing.DemoUsers;
import org.homeward.testing.TestDatabase;

/** Photos uploaded through the API and processed by the app's worker, and what the database holds for their faces. */
final class ProcessedPhotos {

    private ProcessedPhotos() {
    }

    /** Uploads the PNG as an investigator, waits for the worker, and returns the ids of its usable faces. */
    static List<Long> usableFacesOf(byte[] png) throws InterruptedException {
        String token = DemoUsers.accessToken(DemoUsers.INVESTIGATOR_NORTH);
        int id = given().auth().oauth2(token).contentType("image/png").body(png).post("/api/photos")
                .then().statusCode(201).extract().path("id");
        long deadline = System.currentTimeMillis() + 180_000;
        JsonPath photo;
        while (true) {
            photo = given().auth().oauth2(token).get("/api/photos/" + id).then().statusCode(200).extract().jsonPath();
            String state = photo.getString("state");
            if (state.equals("done") || state.equals("failed")) {
                break;
            }
            assertTrue(System.currentTimeMillis() < deadline, "photo " + id + " still " + state + " after 3 minutes");
            Thread.sleep(250);
        }
        assertEquals("done", photo.getString("state"), "failure: " + photo.getString("failureReason"));
        List<Map<String, Object>> faces = given().auth().oauth2(token).get("/api/photos/" + id + "/faces")
                .then().statusCode(200).extract().jsonPath().getList("$");
        return faces.stream().filter(f -> Boolean.TRUE.equals(f.get("usable")))
                .map(f -> ((Number) f.get("id")).longValue()).toList();
    }

    /** The face's original vectors by model id. */
    static Map<String, float[]> storedVectors(long faceId) throws SQLException {
        Map<String, float[]> vectors = new TreeMap<>();
        try (Connection c = TestDatabase.connect(TestDatabase.TEST_DB); Statement s = c.createStatement()) {
            PGvector.addVectorType(c);
            try (ResultSet rs = s.executeQuery("SELECT model_id, vector FROM embedding WHERE kind = 'original' AND face_id = " + faceId)) {
                while (rs.next()) {
                    vectors.put(rs.getString(1), ((PGvector) rs.getObject(2)).toArray());
                }
            }
        }
        return vectors;
    }
}
