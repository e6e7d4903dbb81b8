package org.homeward.photos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.homeward.faces.drawn.DrawnFaceJob;
import org.homeward.faces.index.IndexRebuildJob;
import org.homeward.testing.Api;
import org.homeward.testing.DemoUsers;
import org.homeward.testing.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The store's sweep removes what nobody can reach any more (temporary files of unfinished writes, files no row
 * names, photos attached to nothing after their retention) and never what a case or sighting holds or what was
 * uploaded recently.
 */
@QuarkusTest
@Tag("shared-app")
class PhotoSweepTest {

    private static final Path STORE = Path.of("target/test-photos");
    private static final Duration TWO_HOURS = Duration.ofHours(2);

    @Inject
    PhotoSweep sweep;

    @Test
    void temporaryAndUnnamedFilesOlderThanTheLimitAreRemovedAndFreshOnesKept() throws Exception {
        Path dir = Files.createDirectories(STORE.resolve("ab").resolve("cd"));
        Path oldTemp = aged(Files.createTempFile(dir, ".upload-", ".tmp"), TWO_HOURS);
        Path freshTemp = Files.createTempFile(dir, ".upload-", ".tmp");
        String oldOrphan = randomSha();
        String freshOrphan = randomSha();
        aged(write(oldOrphan), TWO_HOURS);
        write(freshOrphan);
        String named = randomSha();
        try (Connection c = TestDatabase.connect(TestDatabase.TEST_DB)) {
            insertPhoto(c, named, Instant.now());
        }
        aged(write(named), TWO_HOURS);

        PhotoSweep.Swept swept = sweep.sweep();

        assertFalse(Files.exists(oldTemp), "a temporary file older than an hour is removed");
        assertTrue(Files.exists(freshTemp), "a fresh one may belong to a write in progress");
        assertFalse(Files.exists(file(oldOrphan)), "an old file no photo names is removed");
        assertTrue(Files.exists(file(freshOrphan)), "a fresh one may be an upload about to commit its row");
        assertTrue(Files.exists(file(named)), "a file a photo names stays, however old");
        assertTrue(swept.temporaryFiles() >= 1 && swept.orphanFiles() >= 1, swept.toString());
        Files.deleteIfExists(freshTemp);
    }

    @Test
    void unattachedPhotosGoWithTheirFacesAfterTheRetentionAndAttachedOrRecentOnesStay() throws Exception {
        long caseId = Api.createCase(DemoUsers.INVESTIGATOR_NORTH, "Sweep Child", "2010-01-01", "2015-01-01");
        Instant old = Instant.now().minus(Duration.ofDays(8));
        String oldSha = randomSha();
        String recentSha = randomSha();
        String caseSha = randomSha();
        String reuploadedSha = randomSha();
        long oldUnattached;
        long recent;
        long onACase;
        long reuploaded;
        long face;
        try (Connection c = TestDatabase.connect(TestDatabase.TEST_DB)) {
            oldUnattached = insertPhoto(c, oldSha, old);
            face = insertFace(c, oldUnattached);
            // jobs of photos and of faces (whose kinds photos does not know) about it, not yet due, so no worker takes them
            long drawn = insertReturningId(c, "INSERT INTO drawn_face (photo_id, box_x, box_y, box_width, box_height,"
                    + " drawn_by, drawn_at) VALUES (" + oldUnattached + ", 0, 0, 1, 1, 'investigator.north', now()) RETURNING id");
            for (String job : List.of("'" + PhotoService.PROCESS_JOB + "', " + oldUnattached,
                    "'" + IndexRebuildJob.KIND + "', " + oldUnattached, "'" + DrawnFaceJob.KIND + "', " + drawn)) {
                execute(c, "INSERT INTO job (kind, subject_id, run_after) VALUES (" + job + ", now() + interval '1 day')");
            }
            recent = insertPhoto(c, recentSha, Instant.now().minus(Duration.ofDays(1)));
            onACase = insertPhoto(c, caseSha, old);
            insertFace(c, onACase);
            execute(c, "INSERT INTO case_photo (case_id, photo_id, added_by) VALUES (" + caseId + ", " + onACase
                    + ", 'investigator.north')");
            reuploaded = insertPhoto(c, reuploadedSha, old);
            execute(c, "INSERT INTO photo_upload (photo_id, username, uploaded_at) VALUES (" + reuploaded
                    + ", 'investigator.south', now())");
        }
        for (String sha : List.of(oldSha, recentSha, caseSha, reuploadedSha)) {
            write(sha);
        }

        PhotoSweep.Swept swept = sweep.sweep();

        assertTrue(swept.photos() >= 1, swept.toString());
        assertEquals(0, count("SELECT count(*) FROM photo WHERE id = " + oldUnattached), "the old unattached photo is gone");
        assertEquals(0, count("SELECT count(*) FROM face WHERE id = " + face), "with its faces");
        assertEquals(0, count("SELECT count(*) FROM embedding WHERE face_id = " + face), "and their vectors");
        assertEquals(0, count("SELECT count(*) FROM drawn_face WHERE photo_id = " + oldUnattached), "and the boxes drawn on it");
        assertEquals(0, count("SELECT count(*) FROM job WHERE run_after > now() + interval '12 hours' AND ((kind IN ('"
                + PhotoService.PROCESS_JOB + "', '" + IndexRebuildJob.KIND + "') AND subject_id = " + oldUnattached
                + ") OR kind = '" + DrawnFaceJob.KIND + "')"), "and every feature's jobs about it (faces' through PhotoJobs)");
        assertFalse(Files.exists(file(oldSha)), "and its file");
        assertEquals(List.of("photo.sweep by system:photo-sweep"), TestDatabase.auditActions("photo", oldUnattached));
        assertEquals(1, count("SELECT count(*) FROM photo WHERE id = " + recent), "a recent upload stays");
        assertEquals(1, count("SELECT count(*) FROM photo WHERE id = " + onACase), "a photo a case holds stays");
        assertEquals(1, count("SELECT count(*) FROM face WHERE photo_id = " + onACase), "with its faces");
        assertEquals(1, count("SELECT count(*) FROM photo WHERE id = " + reuploaded),
                "a photo whose bytes someone uploaded again recently stays");
        for (String sha : List.of(recentSha, caseSha, reuploadedSha)) {
            assertTrue(Files.exists(file(sha)), sha);
        }
        // The fake photos are no real images: taken out again, so no later test's worker or search meets them.
        try (Connection c = TestDatabase.connect(TestDatabase.TEST_DB)) {
            String kept = recent + ", " + onACase + ", " + reuploaded;
            execute(c, "DELETE FROM case_photo WHERE case_id = " + caseId);
            execute(c, "DELETE FROM embedding WHERE face_id IN (SELECT id FROM face WHERE photo_id IN (" + kept + "))");
            execute(c, "DELETE FROM face WHERE photo_id IN (" + kept + ")");
            execute(c, "DELETE FROM photo_upload WHERE photo_id IN (" + kept + ")");
            execute(c, "DELETE FROM photo WHERE id IN (" + kept + ")");
        }
    }

    private static long insertPhoto(Connection c, String sha, Instant uploadedAt) throws SQLException {
        try (var st = c.prepareStatement("INSERT INTO photo (sha256, content_type, byte_size, width, height, uploaded_by,"
                + " uploaded_at, state) VALUES (?, 'image/png', 4, 1, 1, 'investigator.north', ?, 'done') RETURNING id")) {
            st.setString(1, sha);
            st.setObject(2, OffsetDateTime.ofInstant(uploadedAt, ZoneOffset.UTC));
            var rs = st.executeQuery();
            rs.next();
            long id = rs.getLong(1);
            try (var up = c.prepareStatement(
                    "INSERT INTO photo_upload (photo_id, username, uploaded_at) VALUES (?, 'investigator.north', ?)")) {
                up.setLong(1, id);
                up.setObject(2, OffsetDateTime.ofInstant(uploadedAt, ZoneOffset.UTC));
                up.executeUpdate();
            }
            return id;
        }
    }

    private static long insertReturningId(Connection c, String sql) throws SQLException {
        try (var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long insertFace(Connection c, long photoId) throws SQLException {
        long id = insertReturningId(c, "INSERT INTO face (photo_id, face_index, box_x, box_y, box_width, box_height,"
                + " detection_score, landmarks, usable) VALUES (" + photoId
                + ", 0, 0, 0, 1, 1, 1, '{0,0,0,0,0,0,0,0,0,0}', false) RETURNING id");
        execute(c, "INSERT INTO embedding (face_id, model_id, vector) VALUES (" + id + ", 'test-sweep', '[1,0,0]')");
        return id;
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (var st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static long count(String sql) throws SQLException {
        try (var c = TestDatabase.connect(TestDatabase.TEST_DB); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String randomSha() {
        byte[] bytes = new byte[32];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static Path file(String sha) {
        return STORE.resolve(sha.substring(0, 2)).resolve(sha.substring(2, 4)).resolve(sha);
    }

    private static Path write(String sha) throws Exception {
        Path f = file(sha);
        Files.createDirectories(f.getParent());
        return Files.write(f, new byte[] {1, 2, 3, 4});
    }

    private static Path aged(Path f, Duration age) throws Exception {
        Files.setLastModifiedTime(f, FileTime.from(Instant.now().minus(age)));
        return f;
    }
}
