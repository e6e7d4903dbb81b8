package org.homeward.audit;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.homeward.worker.Periodic;
import org.jboss.logging.Logger;

/**
 * Anchors the audit chain's head outside the database every few minutes ({@link AuditCheckpoint}): the signed line
 * goes to the checkpoint file and to the log. At start the newest checkpoints are checked against the trail, and a
 * mismatch is logged as an error (the auditor page and `deploy/homeward audit verify` report it too).
 */
@ApplicationScoped
public class AuditCheckpoints {

    private static final Logger LOG = Logger.getLogger(AuditCheckpoints.class);

    @Inject
    AuditConfig config;

    @Inject
    AgroalDataSource dataSource;

    private Periodic timer;

    void start(@Observes StartupEvent event) {
        try {
            List<String> problems = check(config.checkpointsChecked());
            problems.forEach(p -> LOG.errorf("audit trail does not match its checkpoint: %s", p));
        } catch (IOException | SQLException | RuntimeException e) {
            LOG.warnf("audit checkpoints not checked at start: %s", e.getMessage());
        }
        timer = Periodic.start("homeward-audit-checkpoint", config.checkpointInterval(), config.checkpointInterval(),
                this::writeQuietly, LOG);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.close();
        }
    }

    private void writeQuietly() {
        try {
            write();
        } catch (IOException | SQLException | RuntimeException e) {
            LOG.errorf(e, "audit checkpoint not written; the next try is in %s", config.checkpointInterval());
        }
    }

    /** Writes a checkpoint of the chain's head as it stands; returns it (null while the trail is empty). */
    public AuditCheckpoint write() throws IOException, SQLException {
        try (Connection c = dataSource.getConnection()) {
            AuditCheckpoint checkpoint = AuditCheckpoint.take(c, key());
            if (checkpoint != null) {
                checkpoint.appendTo(config.checkpointFile());
                LOG.infof("audit checkpoint %s", checkpoint.line());
            }
            return checkpoint;
        }
    }

    /** What the newest {@code newest} checkpoints (0: all) say is wrong with the trail; empty when it agrees. */
    public List<String> check(int newest) throws IOException, SQLException {
        try (Connection c = dataSource.getConnection()) {
            return AuditCheckpoint.check(c, config.checkpointFile(), key(), newest);
        }
    }

    private byte[] key() {
        return config.checkpointKey().getBytes(StandardCharsets.UTF_8);
    }
}
