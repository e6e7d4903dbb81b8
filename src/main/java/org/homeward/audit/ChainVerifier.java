package org.homeward.audit;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import org.hibernate.Session;
import org.homeward.worker.Periodic;
import org.jboss.logging.Logger;

/**
 * Verifies the audit chain for the auditor page and API. A view reads only the events written since the last
 * verification (from its {@link ChainAnchor}), so its cost does not grow with the trail; a full walk, which also
 * finds an edit to an older event's content, runs in the background every {@code homeward.audit.full-verify-interval}
 * and whenever no anchor is known (after start, after a broken result). Either way the newest checkpoints written
 * outside the database are checked too.
 */
@ApplicationScoped
public class ChainVerifier {

    private static final Logger LOG = Logger.getLogger(ChainVerifier.class);

    @Inject
    EntityManager em;

    @Inject
    AuditCheckpoints checkpoints;

    @Inject
    AuditConfig config;

    private volatile ChainAnchor verified;

    private Periodic timer;

    void start(@Observes StartupEvent event) {
        timer = Periodic.start("homeward-audit-full-verify", config.fullVerifyInterval(), config.fullVerifyInterval(),
                this::verifyFullyAndLog, LOG);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.close();
        }
    }

    /** From the last verified anchor on (the whole chain when there is none), then the newest checkpoints. */
    public ChainVerification verify() {
        ChainAnchor from = verified;
        return run(from == null ? ChainAnchor.GENESIS : from);
    }

    /** The whole chain, then the newest checkpoints. */
    public ChainVerification verifyFully() {
        return run(ChainAnchor.GENESIS);
    }

    private ChainVerification run(ChainAnchor from) {
        // A transaction of its own, from any thread: the driver then streams the rows, and a lost database comes out
        // as Hibernate's connection exception, which the API and pages answer with 503.
        ChainVerification chain = QuarkusTransaction.requiringNew().call(() -> em.unwrap(Session.class)
                .doReturningWork(c -> AuditChain.verifyFrom(c, from)));
        if (!chain.intact()) {
            verified = null;
            return chain;
        }
        ChainVerification result = withCheckpoints(chain);
        verified = result.intact() ? chain.head() : null;
        return result;
    }

    private ChainVerification withCheckpoints(ChainVerification chain) {
        try {
            List<String> problems = checkpoints.check(config.checkpointsChecked());
            return problems.isEmpty() ? chain : chain.unanchored(problems.get(0));
        } catch (IOException | SQLException e) {
            return chain.unanchored("the checkpoints cannot be read: " + e.getMessage());
        }
    }

    private void verifyFullyAndLog() {
        ChainVerification result = verifyFully();
        if (result.intact()) {
            LOG.infof("audit chain verified in full: %d events intact", result.eventsChecked());
        } else {
            LOG.errorf("audit chain BROKEN at event %s: %s", result.firstBrokenEventId(), result.problem());
        }
    }
}
