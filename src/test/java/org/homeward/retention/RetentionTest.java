package org.homeward.retention;

import static org.homeward.testing.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.homeward.testing.Api;
import org.homeward.testing.DemoUsers;
import org.homeward.testing.TestDatabase;
import org.homeward.testing.TestImages;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Retention with the real worker and database: a case closed more than its period ago lets go of its photo, which
 * goes with its faces, vectors and file, while the case record stays; a sighting as old whose candidates led nowhere
 * does the same; a case found recently and an old sighting with a possible match keep theirs. Each release is on the
 * audit trail with its rule.
 */
@QuarkusTest
@Tag("shared-app")
class RetentionTest {

    @Inject
    RetentionSweep retention;

    @Test
    void expiredCasesAndSightingsThatLedNowhereLetGoOfTheirPhotosAndTheRestKeepThem() throws Exception {
        byte[] portrait = TestImages.debianPortrait(TestImages.GRACE_HOPPER).orElse(null);
        assumeTrue(portrait != null, "SKIPPED: " + TestImages.GRACE_HOPPER + " absent (python-matplotlib-data)");
        Api.Match expired = Api.caseAndSightingOfOneFace(DemoUsers.INVESTIGATOR_NORTH, "Retained Child " + System.nanoTime(), portrait);
        Api.Match kept = Api.caseAndSightingOfOneFace(DemoUsers.INVESTIGATOR_NORTH, "Kept Child " + System.nanoTime(), portrait);
        assertFalse(kept.candidateIds().isEmpty(), "the kept sighting has a candidate");
        as(DemoUsers.INVESTIGATOR_NORTH).body(Map.of("decision", "possible_match", "comment", "same ears"))
                .post("/api/candidates/" + kept.candidateIds().get(0) + "/verdicts").then().statusCode(200);
        String expiredSha;
        String sightingSha;
        try (Connection c = TestDatabase.connect(TestDatabase.TEST_DB); Statement s = c.createStatement()) {
            // time moves on: the first case was closed and both sightings recorded 400 days ago; the second case was found yesterday
            s.execute("UPDATE case_file SET status = 'closed', status_changed_at = now() - interval '400 days' WHERE id = " + expired.caseId());
            s.execute("UPDATE case_file SET status = 'found', status_changed_at = now() - interval '1 day' WHERE id = " + kept.caseId());
            s.execute("UPDATE sighting SET created_at = now() - interval '400 days' WHERE id IN (" + expired.sightingId() + ", "
                    + kept.sightingId() + ")");
            String photos = expired.casePhotoId() + ", " + expired.sightingPhotoId() + ", " + kept.casePhotoId() + ", "
                    + kept.sightingPhotoId();
            s.execute("UPDATE photo SET uploaded_at = now() - interval '500 days' WHERE id IN (" + photos + ")");
            s.execute("UPDATE photo_upload SET uploaded_at = now() - interval '500 days' WHERE photo_id IN (" + photos + ")");
            expiredSha = one(s, "SELECT trim(sha256) FROM photo WHERE id = " + expired.casePhotoId());
            sightingSha = one(s, "SELECT trim(sha256) FROM photo WHERE id = " + expired.sightingPhotoId());
        }
        RetentionSweep.Released released = retention.run();
        assertTrue(released.cases() >= 1 && released.sightings() >= 1 && released.photosRemoved() >= 2, released.toString());

        assertEquals(0, count("SELECT count(*) FROM case_photo WHERE case_id = " + expired.caseId()), "the closed case let go");
        assertEquals(0, count("SELECT count(*) FROM photo WHERE id = " + expired.casePhotoId()), "its photo is gone");
        assertEquals(0, count("SELECT count(*) FROM face WHERE photo_id = " + expired.casePhotoId()), "with its faces");
        assertEquals(0, count("SELECT count(*) FROM projection WHERE case_id = " + expired.caseId()), "and projections");
        assertFalse(Files.exists(file(expiredSha)), "and its file");
        assertEquals(1, count("SELECT count(*) FROM case_file WHERE status = 'closed' AND id = " + expired.caseId()),
                "the case record stays");
        assertTrue(TestDatabase.auditActions("case_file", expired.caseId()).contains("case.retention by system:retention"));
        assertTrue(TestDatabase.auditActions("photo", expired.casePhotoId()).contains("photo.sweep by system:photo-sweep"));

        assertEquals(0, count("SELECT count(*) FROM sighting_photo WHERE sighting_id = " + expired.sightingId()));
        assertEquals(0, count("SELECT count(*) FROM photo WHERE id = " + expired.sightingPhotoId()), "the sighting's photo is gone");
        assertFalse(Files.exists(file(sightingSha)));
        assertEquals(1, count("SELECT count(*) FROM sighting WHERE id = " + expired.sightingId()), "the sighting record stays");
        assertTrue(TestDatabase.auditActions("sighting", expired.sightingId()).contains("sighting.retention by system:retention"));

        assertEquals(1, count("SELECT count(*) FROM case_photo WHERE case_id = " + kept.caseId()), "found yesterday: kept");
        assertEquals(1, count("SELECT count(*) FROM sighting_photo WHERE sighting_id = " + kept.sightingId()),
                "an old sighting with a possible match: kept");
        assertEquals(1, count("SELECT count(*) FROM photo WHERE id = " + kept.casePhotoId()));
    }

    private static Path file(String sha) {
        return Path.of("target", "test-photos", sha.substring(0, 2), sha.substring(2, 4), sha);
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = TestDatabase.connect(TestDatabase.TEST_DB); Statement s = c.createStatement()) {
            return Long.parseLong(one(s, sql));
        }
    }

    private static String one(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getString(1);
        }
    }
}
