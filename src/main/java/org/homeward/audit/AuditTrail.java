package org.homeward.audit;

import io.quarkus.arc.Arc;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Writes audit events into the caller's transaction, each chained to the one before, and verifies the chain. */
@ApplicationScoped
public class AuditTrail {

    /** pg_advisory_xact_lock key that serialises appends, so two events never claim the same predecessor. */
    private static final long CHAIN_LOCK = 0x486f6d6577617264L;

    @Inject
    EntityManager em;

    @Inject
    SecurityIdentity identity;

    @Inject
    RequestOrigin origin;

    /** Records an action by the current user. Joins the caller's transaction: no action without its event. */
    @Transactional(Transactional.TxType.MANDATORY)
    public AuditEvent record(String action, String objectType, Object objectId, String details) {
        String actor = identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
        return recordAs(actor, action, objectType, objectId, details);
    }

    /** Records an action by a named system actor (the worker, a command). */
    @Transactional(Transactional.TxType.MANDATORY)
    public AuditEvent recordAs(String actor, String action, String objectType, Object objectId, String details) {
        em.createNativeQuery("SELECT pg_advisory_xact_lock(" + CHAIN_LOCK + ")").getSingleResult();
        List<?> last = em.createNativeQuery("SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1").getResultList();

        AuditEvent event = new AuditEvent();
        // PostgreSQL keeps microseconds: hash what will be read back.
        event.occurredAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        event.actor = actor;
        event.action = action;
        event.objectType = objectType;
        event.objectId = objectId == null ? null : objectId.toString();
        event.details = details;
        if (Arc.container().requestContext().isActive()) {
            event.requestId = origin.requestId();
            event.clientAddress = origin.clientAddress();
        }
        event.prevHash = last.isEmpty() ? AuditHash.GENESIS : (String) last.get(0);
        event.hash = AuditHash.of(event);
        event.persist();
        return event;
    }

    /** Walks the whole chain in order and reports the first event that was edited, or whose predecessor is gone. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public ChainVerification verify() {
        String expectedPrev = AuditHash.GENESIS;
        long checked = 0;
        try (var events = AuditEvent.<AuditEvent>streamAll(io.quarkus.panache.common.Sort.by("id"))) {
            for (AuditEvent e : (Iterable<AuditEvent>) events::iterator) {
                checked++;
                if (!e.prevHash.equals(expectedPrev)) {
                    return ChainVerification.broken(checked, e.id, "the event before it was deleted or changed");
                }
                if (!AuditHash.of(e).equals(e.hash)) {
                    return ChainVerification.broken(checked, e.id, "its content was changed after it was written");
                }
                expectedPrev = e.hash;
            }
        }
        return ChainVerification.ok(checked);
    }
}
