package org.homeward.inbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.homeward.security.CurrentUser;

/** The in-app inbox: features post messages to people or units; each person reads their own. */
@ApplicationScoped
public class Inbox {

    @Inject
    CurrentUser currentUser;

    @Inject
    EntityManager em;

    /** One message as its reader sees it. */
    public record Message(long id, Instant createdAt, String message, String link, boolean read, String addressedTo) {
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void toUnit(String unit, String subjectType, long subjectId, String message, String link) {
        post(null, unit, subjectType, subjectId, message, link);
    }

    /** Posts one message per person, skipping duplicates (a creator who is also assigned gets one). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void toPeople(Set<String> usernames, String subjectType, long subjectId, String message, String link) {
        for (String username : usernames) {
            post(username, null, subjectType, subjectId, message, link);
        }
    }

    private void post(String recipient, String unit, String subjectType, long subjectId, String message, String link) {
        Notification n = new Notification();
        n.recipient = recipient;
        n.unit = unit;
        n.subjectType = subjectType;
        n.subjectId = subjectId;
        n.message = message;
        n.link = link;
        n.createdAt = Instant.now();
        n.persist();
    }

    /**
     * The condition for the caller's messages: to them by name, or to their unit. Someone without a unit has
     * only the first (never a made-up unit value that the database would have to compare).
     */
    private String addressedToMe() {
        return currentUser.unit().isPresent() ? "(n.recipient = :me OR n.unit = :unit)" : "n.recipient = :me";
    }

    private jakarta.persistence.Query forMe(String sql) {
        jakarta.persistence.Query query = em.createNativeQuery(sql).setParameter("me", currentUser.username());
        currentUser.unit().ifPresent(unit -> query.setParameter("unit", unit));
        return query;
    }

    /** The caller's messages (to them, or to their unit), newest first. */
    @Transactional
    public List<Message> mine(int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = forMe("""
                SELECT n.id, n.created_at, n.message, n.link, r.read_at IS NOT NULL, coalesce(n.recipient, 'unit ' || n.unit)
                  FROM notification n
                  LEFT JOIN notification_read r ON r.notification_id = n.id AND r.username = :me
                 WHERE %s
                 ORDER BY n.created_at DESC, n.id DESC
                 LIMIT :limit""".formatted(addressedToMe()))
                .setParameter("limit", limit)
                .getResultList();
        return rows.stream().map(r -> new Message(((Number) r[0]).longValue(), r[1] instanceof Instant at ? at : ((java.sql.Timestamp) r[1]).toInstant(),
                (String) r[2], (String) r[3], (Boolean) r[4], (String) r[5])).toList();
    }

    @Transactional
    public long unreadCount() {
        return ((Number) forMe("""
                SELECT count(*) FROM notification n
                 WHERE %s
                   AND NOT EXISTS (SELECT 1 FROM notification_read r WHERE r.notification_id = n.id AND r.username = :me)"""
                .formatted(addressedToMe()))
                .getSingleResult()).longValue();
    }

    /** Marks all the caller's messages read. */
    @Transactional
    public void markAllRead() {
        forMe("""
                INSERT INTO notification_read (notification_id, username)
                SELECT n.id, :me FROM notification n WHERE %s
                ON CONFLICT DO NOTHING""".formatted(addressedToMe()))
                .executeUpdate();
    }
}
