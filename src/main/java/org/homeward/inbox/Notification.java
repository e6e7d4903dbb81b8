package org.homeward.inbox;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A message in the in-app inbox, for one person or for every member of a unit. */
@Entity
@Table(name = "notification")
public class Notification extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** The person it is for; null when it is for a whole unit. */
    public String recipient;

    /** The unit it is for; null when it is for one person. */
    public String unit;

    @Column(name = "subject_type", nullable = false)
    public String subjectType;

    @Column(name = "subject_id", nullable = false)
    public long subjectId;

    @Column(nullable = false)
    public String message;

    /** Where in the app to act on it. */
    public String link;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** Faces the message shows (a sighting's, a case's); each reader is shown only those they may see. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "face_ids", nullable = false, columnDefinition = "bigint[]")
    public Long[] faceIds = new Long[0];
}
