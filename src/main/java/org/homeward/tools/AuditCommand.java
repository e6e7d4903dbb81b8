package org.homeward.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.homeward.audit.AuditChain;
import org.homeward.audit.AuditCheckpoint;
import org.homeward.audit.ChainVerification;
import picocli.CommandLine.Command;

/**
 * `audit verify`: checks the audit trail's hash chain in the database and names the first broken link, then checks
 * it against every signed checkpoint of its head (deleted newest events show there). `audit checkpoint` writes one.
 */
@Command(name = "audit", description = "the audit trail's hash chain and its signed checkpoints")
final class AuditCommand {

    private final Path file = Main.home().resolve("audit").resolve("checkpoints");
    private final byte[] key = Main.env("HOMEWARD_AUDIT_KEY", "homeward-demo-audit-checkpoint-key-not-for-production")
            .getBytes(StandardCharsets.UTF_8);

    @Command(name = "verify", description = "verify the hash chain and its checkpoints; names what is wrong (exit 1 when broken)")
    int verify() throws IOException, SQLException {
        try (Connection c = connect()) {
            ChainVerification result = AuditChain.verify(c);
            if (!result.intact()) {
                System.out.println("audit chain BROKEN at event " + result.firstBrokenEventId() + ": " + result.problem()
                        + " (" + result.eventsChecked() + " events read)");
                return 1;
            }
            List<String> problems = AuditCheckpoint.check(c, file, key, 0);
            if (!problems.isEmpty()) {
                System.out.println("audit chain links up (" + result.eventsChecked() + " events) but does NOT match its"
                        + " checkpoints:");
                problems.forEach(p -> System.out.println("  " + p));
                return 1;
            }
            System.out.println("audit chain intact: " + result.eventsChecked() + " events verified"
                    + (Files.exists(file) ? ", and every checkpoint in " + file + " agrees" : " (no checkpoint file yet: " + file + ")"));
            return 0;
        }
    }

    @Command(name = "checkpoint", description = "anchor the chain's head now (the app does so every 10 minutes)")
    int checkpoint() throws IOException, SQLException {
        try (Connection c = connect()) {
            AuditCheckpoint checkpoint = AuditCheckpoint.take(c, key);
            if (checkpoint == null) {
                System.out.println("the audit trail is empty: nothing to anchor");
                return 0;
            }
            checkpoint.appendTo(file);
            System.out.println("audit checkpoint written to " + file + ": " + checkpoint.line());
            return 0;
        }
    }

    private static Connection connect() throws SQLException {
        String url = "jdbc:postgresql://" + Main.env("HOMEWARD_HOST", "127.0.0.1") + ":" + Main.env("HOMEWARD_PG_PORT", "55432")
                + "/" + Main.env("HOMEWARD_PG_DB", "homeward");
        return DriverManager.getConnection(url, Main.env("HOMEWARD_PG_USER", "homeward"), Main.env("HOMEWARD_PG_PASSWORD", "homeward"));
    }
}
