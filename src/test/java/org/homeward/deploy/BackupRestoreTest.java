package org.homeward.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.homeward.audit.AuditChain;
import org.homeward.audit.AuditCheckpoint;
import org.homeward.audit.AuditCheckpoints;
import org.homeward.audit.AuditConfig;
import org.homeward.testing.Api;
import org.homeward.testing.DemoUsers;
import org.homeward.testing.TestDatabase;
import org.homeward.testing.TestImages;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * `deploy/homeward backup` and `restore` against the real PostgreSQL: a case with its photo, faces and vectors, a
 * sighting and its candidate, and the audit trail with a checkpoint are backed up, restored into a fresh database
 * and folder, and found there (the photo's file too, the audit chain verifying and agreeing with its checkpoint);
 * restore refuses a backup whose files differ from its manifest, and a database that is not empty.
 */
@QuarkusTest
@Tag("shared-app")
class BackupRestoreTest {

    @Inject
    AuditCheckpoints checkpoints;

    @Inject
    AuditConfig auditConfig;

    @Test
    void aBackupRestoresIntoAFreshDatabaseAndFolderWithEverythingInIt() throws Exception {
        byte[] portrait = TestImages.debianPortrait(TestImages.GRACE_HOPPER).orElse(null);
        assumeTrue(portrait != null, "SKIPPED: " + TestImages.GRACE_HOPPER + " absent (python-matplotlib-data)");
        String child = "Backup Child " + System.nanoTime();
        Api.Match match = Api.caseAndSightingOfOneFace(DemoUsers.INVESTIGATOR_NORTH, child, portrait);
        long caseId = match.caseId();
        long photo = match.casePhotoId();
        long sighting = match.sightingId();
        AuditCheckpoint checkpoint = checkpoints.write();

        long stamp = System.nanoTime();
        Path backup = Paths.get("target", "backup-" + stamp).toAbsolutePath();
        Path home = Paths.get("target", "restore-" + stamp).toAbsolutePath();
        String database = "homeward_restore_" + stamp;
        Map<String, String> env = Map.of("HOMEWARD_PG_DB", TestDatabase.TEST_DB,
                "HOMEWARD_PHOTOS", Paths.get("target", "test-photos").toAbsolutePath().toString(),
                "HOMEWARD_AUDIT_CHECKPOINTS", auditConfig.checkpointFile().toAbsolutePath().toString());
        try {
            Result made = run(env, "backup", backup.toString());
            assertEquals(0, made.exit(), made.output());
            Result restored = run(env, "restore", backup.toString(), "--database", database, "--home", home.toString());
            assertEquals(0, restored.exit(), restored.output());

            try (Connection r = TestDatabase.connect(database); Statement s = r.createStatement()) {
                assertEquals(child, one(s, "SELECT child_name FROM case_file WHERE id = " + caseId), "the case");
                assertTrue(Long.parseLong(one(s, "SELECT count(*) FROM embedding e JOIN face f ON f.id = e.face_id"
                        + " WHERE f.photo_id = " + photo)) >= 2, "the case face's vectors (raw and search model)");
                assertTrue(Long.parseLong(one(s, "SELECT count(*) FROM candidate WHERE sighting_id = " + sighting)) >= 1,
                        "the sighting's candidate");
                String sha = one(s, "SELECT trim(sha256) FROM photo WHERE id = " + photo);
                assertTrue(Files.isRegularFile(home.resolve("photos").resolve(sha.substring(0, 2)).resolve(sha.substring(2, 4))
                        .resolve(sha)), "the photo's file in the restored store");
                assertTrue(AuditChain.verify(r).intact(), "the restored audit chain verifies");
                List<String> anchor = AuditCheckpoint.check(r, home.resolve("audit").resolve("checkpoints"),
                        auditConfig.checkpointKey().getBytes(StandardCharsets.UTF_8), 0);
                assertEquals(List.of(), anchor, "and agrees with its checkpoints, the newest at event " + checkpoint.headId());
            }

            Result again = run(env, "restore", backup.toString(), "--database", database, "--home", home + "-2");
            assertNotEquals(0, again.exit());
            assertTrue(again.output().contains("is not empty"), again.output());

            Path damaged = firstFile(backup.resolve("photos"));
            byte[] bytes = Files.readAllBytes(damaged);
            bytes[bytes.length / 2] ^= 1;
            Files.write(damaged, bytes);
            Result refused = run(env, "restore", backup.toString(), "--database", database + "_b", "--home", home + "-3");
            assertNotEquals(0, refused.exit());
            assertTrue(refused.output().contains("damaged"), refused.output());
        } finally {
            TestDatabase.drop(database);
            TestDatabase.drop(database + "_b");
        }
    }

    record Result(int exit, String output) {
    }

    private static Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("bash", "deploy/lib/backup.sh"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.waitFor(), output);
    }

    private static String one(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getString(1);
        }
    }

    private static Path firstFile(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).findFirst().orElseThrow();
        }
    }
}
