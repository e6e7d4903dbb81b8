package org.homeward.projections;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One aged-up projection of a case's child face: the age it shows, how it was made, and its image. */
@Entity
@Table(name = "projection")
public class Projection extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "face_id", nullable = false)
    public long faceId;

    @Column(name = "case_id", nullable = false)
    public long caseId;

    @Column(name = "source_age", nullable = false)
    public float sourceAge;

    @Column(name = "target_age", nullable = false)
    public float targetAge;

    @Column(name = "age_group", nullable = false)
    public String ageGroup;

    @Column(nullable = false)
    public String method;

    @Column(name = "model_id", nullable = false)
    public String modelId;

    @Column(name = "model_version", nullable = false)
    public String modelVersion;

    /**
     * The relatives' faces that steered it (their ids, ascending, comma-separated); null when none did. Only the image
     * is steered: the vectors searched are those of the projection without the relatives.
     */
    @Column(name = "steered_by")
    public String steeredBy;

    /** The PNG in the projection store ({@link ProjectionStore}). */
    @Column(name = "image_sha256", nullable = false, columnDefinition = "bpchar(64)")
    public String imageSha256;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
