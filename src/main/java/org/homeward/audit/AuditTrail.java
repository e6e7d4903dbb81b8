package org.homeward.audit;

import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.homeward.web.Paging;

/** Writes audit events into the caller's transaction, each chained to the one before ({@link ChainVerifier} checks them). */
@ApplicationScoped
public class AuditTrail {

    /** pg_advisory_xact_lock key that serialises appends, so two events never claim the same predecessor. */
    private static final long CHAIN_LOCK = 0x486f6d6577617264L;

    @Inject
    EntityManager em;

    @Inject
    SecurityIdentity identity;

    /** Filters for reading the trail; null or blank means "any". */
    public record Filter(String actor, String action, String objectType, String objectId) {
    }

    /** One page of events, newest first. */
    public record EventPage(List<AuditEvent> events, int page, int pageCount, long total) {
    }

    static final int PAGE_SIZE = 50;

    /** Reads the trail; reading it is itself recorded, in its own transaction with the read. */
    @Transactional
    public EventPage search(Filter filter, int page) {
        StringBuilder where = new StringBuilder("1 = 1");
        Parameters params = new Parameters();
        addFilter(where, params, "actor", filter.actor());
        addFilter(where, params, "action", filter.action());
        addFilter(where, params, "objectType", filter.objectType());
        addFilter(where, params, "objectId", filter.objectId());
        var query = AuditEvent.<AuditEvent>find(where.toString(), Sort.descending("id"), params);
        long total = query.count();
        int pageCount = Paging.pageCount(total, PAGE_SIZE);
        int index = Paging.clamp(page, pageCount);
        List<AuditEvent> events = query.page(Page.of(index, PAGE_SIZE)).list();
        record("audit.read", "audit_event", null, "results=" + total);
        return new EventPage(events, index, pageCount, total);
    }

    private static void addFilter(StringBuilder where, Parameters params, String field,
            String value) {
        if (value != null && !value.isBlank()) {
            where.append(" and ").append(field).append(" = :").append(field);
            params.and(field, value.trim());
        }
    }

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
        RequestOrigin.current().ifPresent(origin -> {
            event.requestId = origin.requestId();
            event.clientAddress = origin.clientAddress();
        });
        event.prevHash = last.isEmpty() ? AuditHash.GENESIS : (String) last.get(0);
        event.hash = AuditHash.of(event);
        event.persist();
        return event;
    }
}
