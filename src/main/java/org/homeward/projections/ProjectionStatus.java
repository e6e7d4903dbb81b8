package org.homeward.projections;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * What the projection job last decided for a case's child face: {@code reason} is null when the face is
 * projected, else why it has no projection (too small, turned, the child's age unknown, nothing to do yet).
 */
@Entity
@Table(name = "projection_status")
public class ProjectionStatus extends PanacheEntityBase {

    @Id
    @Column(name = "face_id")
    public Long faceId;

    @Column(name = "case_id", nullable = false)
    public long caseId;

    @Column(name = "source_age")
    public Float sourceAge;

    public String reason;

    /** The face cut into the projections' frame, unchanged: shown before them in the strip. */
    @Column(name = "source_sha256", columnDefinition = "bpchar(64)")
    public String sourceSha256;

    @Column(name = "checked_at", nullable = false)
    public Instant checkedAt;
}
