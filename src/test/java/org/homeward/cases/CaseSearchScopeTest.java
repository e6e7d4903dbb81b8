package org.homeward.cases;

import static org.homeward.cases.CaseAccessTest.as;
import static org.homeward.cases.CaseAccessTest.createCase;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.homeward.faces.ModelBundle;
import org.homeward.faces.index.FaceIndex;
import org.homeward.testing.DemoUsers;
import org.homeward.testing.TestDatabase;
import org.homeward.testing.TestImages;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A case's child face is found by the pgvector search while the case is open, and not once it is closed. */
@QuarkusTest
@Tag("shared-app")
class CaseSearchScopeTest {

    @Inject
    FaceIndex index;

    private static float[] storedVector(long faceId) throws Exception {
        try (var c = TestDatabase.connect(TestDatabase.TEST_DB); var s = c.createStatement();
                var rs = s.executeQuery("SELECT vector::text FROM embedding WHERE face_id = " + faceId
                        + " AND model_id = '" + ModelBundle.EMBEDDER + "'")) {
            assertTrue(rs.next(), "face " + faceId + " has an embedding");
            String[] parts = rs.getString(1).replaceAll("[\\[\\]]", "").split(",");
            float[] v = new float[parts.length];
            for (int i = 0; i < parts.length; i++) {
                v[i] = Float.parseFloat(parts[i]);
            }
            return v;
        }
    }

    private boolean found(float[] vector, long faceId, FaceIndex.Scope scope) {
        // Other tests upload the same portrait: enough neighbours that its copies cannot crowd this face out.
        return index.nearest(ModelBundle.EMBEDDER, vector, 100, scope).stream().anyMatch(n -> n.faceId() == faceId);
    }

    @Test
    void closingACaseTakesItsFacesOutOfTheSearchAtOnce() throws Exception {
        byte[] portrait = TestImages.debianPortrait(TestImages.GRACE_HOPPER).orElse(null);
        assumeTrue(portrait != null, "SKIPPED: " + TestImages.GRACE_HOPPER + " absent (python-matplotlib-data)");
        long caseId = createCase(DemoUsers.INVESTIGATOR_NORTH, "Search Scope Child");
        as(DemoUsers.INVESTIGATOR_NORTH).contentType("image/png").body(TestImages.unique(portrait, System.nanoTime()))
                .queryParam("takenOn", "2018-01-01").post("/api/cases/" + caseId + "/photos").then().statusCode(201);

        long deadline = System.currentTimeMillis() + 120_000;
        List<Map<String, Object>> faces;
        while (true) {
            var photo = as(DemoUsers.INVESTIGATOR_NORTH).get("/api/cases/" + caseId).then().statusCode(200)
                    .extract().jsonPath();
            if ("done".equals(photo.getString("photos[0].state"))) {
                faces = photo.getList("photos[0].faces");
                assertEquals(6.0, photo.getDouble("photos[0].ageAtPhoto"), 0.2, "age at photo from birth and taken dates");
                break;
            }
            assertTrue(System.currentTimeMillis() < deadline, "photo not processed in time");
            Thread.sleep(300);
        }
        long faceId = ((Number) faces.get(0).get("id")).longValue();
        float[] vector = storedVector(faceId);

        var hit = index.nearest(ModelBundle.EMBEDDER, vector, 10, FaceIndex.Scope.OPEN_CASES).stream()
                .filter(n -> n.faceId() == faceId).findFirst();
        assertTrue(hit.isPresent(), "the open case's child face is searchable");
        assertEquals(caseId, hit.get().ownerId());
        assertTrue(hit.get().distance() < 1e-4, "its own vector is nearest: " + hit.get().distance());

        as(DemoUsers.SUPERVISOR_NORTH).body(Map.of("status", "found", "reason", "found alive"))
                .post("/api/cases/" + caseId + "/status").then().statusCode(200);
        assertFalse(found(vector, faceId, FaceIndex.Scope.OPEN_CASES), "a found case is no longer searched");
        assertTrue(found(vector, faceId, FaceIndex.Scope.ALL), "the vector itself is kept");
    }
}
