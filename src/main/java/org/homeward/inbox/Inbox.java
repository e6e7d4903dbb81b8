package org.homeward.inbox;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.sql.Array;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.homeward.faces.Face;
import org.homeward.photos.PhotoService;
import org.homeward.security.CurrentUser;
import org.homeward.web.SqlTimes;

/** The in-app inbox: features post messages to people or units; each person reads their own. */
@ApplicationScoped
public class Inbox {

    @Inject
    CurrentUser currentUser;

    @Inject
    EntityManager em;

    @Inject
    PhotoService photos;

    @Inject
    @Any
    Instance<MessageSubject> subjects;

    /** Each subject type's feature, looked up once: a page of 200 messages asks for each message. */
    private Map<String, MessageSubject> subjectOfType;

    @PostConstruct
    void indexSubjects() {
        // two features answering for one subject type is a mistake in the code: it fails here, by name
        subjectOfType = subjects.stream().collect(Collectors.toUnmodifiableMap(MessageSubject::type, s -> s));
    }

    /**
     * One message as its reader sees it, with the faces it shows that this reader may see, and the case it is about
     * when the reader may see that case (a referral's sighting unit never learns the case from its inbox).
     */
    public record Message(long id, Instant createdAt, String message, String link, boolean read, String addressedTo,
            List<Long> faceIds, CaseShown caseFile) {

        /** Where opening the message leads: through the inbox, which marks it read on the way. */
        public String openLink() {
            return "/inbox/" + id;
        }
    }

    /** The case a message is about, as its reader may see it. */
    public record CaseShown(long id, String reference, String childName) {
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void toUnit(String unit, String subjectType, long subjectId, String message, String link) {
        toUnit(unit, subjectType, subjectId, message, link, List.of());
    }

    /** A message to a unit that shows faces (each reader sees only those they may see). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void toUnit(String unit, String subjectType, long subjectId, String message, String link, List<Long> faceIds) {
        post(null, unit, subjectType, subjectId, message, link, faceIds);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void toPeople(Set<String> usernames, String subjectType, long subjectId, String message, String link) {
        toPeople(usernames, subjectType, subjectId, message, link, List.of());
    }

    /**
     * Posts one message per person. Someone addressed by name and through their unit too still reads it once:
     * {@link #mine} shows one copy of each message per subject.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void toPeople(Set<String> usernames, String subjectType, long subjectId, String message, String link,
            List<Long> faceIds) {
        for (String username : usernames) {
            post(username, null, subjectType, subjectId, message, link, faceIds);
        }
    }

    private void post(String recipient, String unit, String subjectType, long subjectId, String message, String link,
            List<Long> faceIds) {
        Notification n = new Notification();
        n.faceIds = faceIds.toArray(Long[]::new);
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

    private Query forMe(String sql) {
        Query query = em.createNativeQuery(sql).setParameter("me", currentUser.username());
        currentUser.unit().ifPresent(unit -> query.setParameter("unit", unit));
        return query;
    }

    /**
     * The caller's messages (to them, or to their unit), newest first: one per subject and text, so a person who is
     * told both by name and as a member of the unit reads it once (the copy to them by name is the one shown).
     */
    @Transactional
    public List<Message> mine(int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = forMe("""
                SELECT * FROM (
                  SELECT DISTINCT ON (n.subject_type, n.subject_id, n.message)
                         n.id, n.created_at, n.message, n.link, r.read_at IS NOT NULL AS read,
                         coalesce(n.recipient, 'unit ' || n.unit), n.face_ids, n.subject_type, n.subject_id
                    FROM notification n
                    LEFT JOIN notification_read r ON r.notification_id = n.id AND r.username = :me
                   WHERE %s
                   ORDER BY n.subject_type, n.subject_id, n.message, n.recipient NULLS LAST, n.id) m
                 ORDER BY m.created_at DESC, m.id DESC
                 LIMIT :limit""".formatted(addressedToMe()))
                .setParameter("limit", limit)
                .getResultList();
        return rows.stream().map(r -> new Message(((Number) r[0]).longValue(), SqlTimes.instant(r[1]),
                (String) r[2], (String) r[3], (Boolean) r[4], (String) r[5], visibleFaces(r[6]),
                caseOf((String) r[7], ((Number) r[8]).longValue()))).toList();
    }

    /** The case a message is about, when the reader may see it, as the feature that posts such messages tells. */
    private CaseShown caseOf(String subjectType, long subjectId) {
        MessageSubject subject = subjectOfType.get(subjectType);
        return subject == null ? null : subject.caseOf(subjectId).orElse(null);
    }

    /**
     * Opens one of the caller's messages: it is marked read (with the copies to them by name and through their unit)
     * and its link returned. Empty when no such message is addressed to the caller.
     */
    @Transactional
    public Optional<String> open(long id) {
        @SuppressWarnings("unchecked")
        List<Object> links = forMe("SELECT coalesce(n.link, '/inbox') FROM notification n WHERE n.id = :id AND %s"
                .formatted(addressedToMe()))
                .setParameter("id", id)
                .getResultList();
        if (links.isEmpty()) {
            return Optional.empty();
        }
        forMe("""
                INSERT INTO notification_read (notification_id, username)
                SELECT n.id, :me FROM notification n JOIN notification o ON o.id = :id
                 WHERE %s AND n.subject_type = o.subject_type AND n.subject_id = o.subject_id AND n.message = o.message
                ON CONFLICT DO NOTHING""".formatted(addressedToMe()))
                .setParameter("id", id)
                .executeUpdate();
        return Optional.of((String) links.get(0));
    }

    /** The message's faces this reader may see; the others are left out, never shown broken. */
    private List<Long> visibleFaces(Object ids) {
        Object[] all = ids instanceof Array a ? sqlArray(a) : (Object[]) ids;
        List<Long> visible = new ArrayList<>();
        for (Object id : all == null ? new Object[0] : all) {
            Face face = Face.findById(((Number) id).longValue());
            if (face != null && photos.maySee(face.photo)) {
                visible.add(face.id);
            }
        }
        return visible;
    }

    private static Object[] sqlArray(Array a) {
        try {
            return (Object[]) a.getArray();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Unread messages, counted as {@link #mine} shows them (one per subject and text). */
    @Transactional
    public long unreadCount() {
        return ((Number) forMe("""
                SELECT count(DISTINCT (n.subject_type, n.subject_id, n.message)) FROM notification n
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
