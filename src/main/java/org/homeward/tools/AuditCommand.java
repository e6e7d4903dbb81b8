package org.homeward.tools;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.homeward.audit.AuditChain;
import org.homeward.audit.AuditCheckpoint;
import org.homeward.audit.ChainVerification;

/**
 * `audit verify`: checks the audit trail's hash chain in the database and names the first broken link, then checks
 * it against every signed checkpoint of its head (deleted newest events show there). `audit checkpoint` writes one.
 */
final class AuditCommand implements Command {

    @Override
    public String usage() {
        return "audit verify|checkpoint verify the audit trail's hash chain and its checkpoints (exit 1 when broken),"
                + " or write a checkpoint";
    }

    @Override
    public int run(List<String> args) throws Exception {
        if (args.isEmpty() || !List.of("verify", "checkpoint").contains(args.get(0))) {
            throw new IllegalArgumentException("unknown audit action " + args + ": verify or checkpoint");
        }
        String url = "jdbc:postgresql://" + Command.env("HOMEWARD_HOST", "127.0.0.1") + ":" + Command.env("HOMEWARD_PG_PORT", "55432")
                + "/" + Command.env("HOMEWARD_PG_DB", "homeward");
        Path file = Path.of(Command.env("HOMEWARD_HOME", "/var/lib/homeward"), "audit", "checkpoints");
        byte[] key = Command.env("HOMEWARD_AUDIT_KEY", "homeward-demo-audit-checkpoint-key-not-for-production")
                .getBytes(StandardCharsets.UTF_8);
        try (Connection c = DriverManager.getConnection(url, Command.env("HOMEWARD_PG_USER", "homeward"),
                Command.env("HOMEWARD_PG_PASSWORD", "homeward"))) {
            if (args.get(0).equals("checkpoint")) {
                AuditCheckpoint checkpoint = AuditCheckpoint.take(c, key);
                if (checkpoint == null) {
                    System.out.println("the audit trail is empty: nothing to anchor");
                    return 0;
                }
                checkpoint.appendTo(file);
                System.out.println("audit checkpoint written to " + file + ": " + checkpoint.line());
                return 0;
            }
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

}
