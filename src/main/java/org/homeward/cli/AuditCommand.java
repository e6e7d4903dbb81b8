package org.homeward.cli;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import org.homeward.audit.AuditChain;
import org.homeward.audit.ChainVerification;

/** `audit verify`: checks the audit trail's hash chain in the database and names the first broken link. */
final class AuditCommand implements Command {

    @Override
    public String usage() {
        return "audit verify            verify the audit trail's hash chain (exit 1 when broken)";
    }

    @Override
    public int run(List<String> args) throws Exception {
        if (args.isEmpty() || !args.get(0).equals("verify")) {
            throw new IllegalArgumentException("unknown audit action " + args);
        }
        String url = "jdbc:postgresql://" + env("HOMEWARD_HOST", "127.0.0.1") + ":" + env("HOMEWARD_PG_PORT", "55432")
                + "/" + env("HOMEWARD_PG_DB", "homeward");
        try (Connection c = DriverManager.getConnection(url, env("HOMEWARD_PG_USER", "homeward"),
                env("HOMEWARD_PG_PASSWORD", "homeward"))) {
            ChainVerification result = AuditChain.verify(c);
            if (result.intact()) {
                System.out.println("audit chain intact: " + result.eventsChecked() + " events verified");
                return 0;
            }
            System.out.println("audit chain BROKEN at event " + result.firstBrokenEventId() + ": " + result.problem()
                    + " (" + result.eventsChecked() + " events read)");
            return 1;
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
