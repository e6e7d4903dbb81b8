package org.homeward.faces;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pgvector.PGvector;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.homeward.testing.Api;
import org.homeward.testing.DemoUsers;
import org.homeward.testing.TestDatabase;

/** Photos uploaded through the API and processed by the app's worker, and what the database holds for their faces. */
final class ProcessedPhotos {

    private ProcessedPhotos() {
    }

    /** A processed photo and its usable faces. */
    record Processed(long photoId, List<Long> usableFaces) {
    }

    /** Uploads the PNG as an investigator and waits for the worker. */
    static Processed upload(byte[] png) {
        String user = DemoUsers.INVESTIGATOR_NORTH;
        long id = Api.uploadPhoto(user, png, "image/png");
        assertEquals("done", Api.awaitPhoto(user, id));
        List<Map<String, Object>> faces = Api.as(user).get("/api/photos/" + id + "/faces")
                .then().statusCode(200).extract().jsonPath().getList("$");
        return new Processed(id, faces.stream().filter(f -> Boolean.TRUE.equals(f.get("usable")))
                .map(f -> ((Number) f.get("id")).longValue()).toList());
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
