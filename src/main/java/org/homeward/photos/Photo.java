package org.homeward.photos;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.Optional;

/** A distinct image that entered Homeward; its bytes are in the photo store under {@link #sha256}. */
@Entity
@Table(name = "photo")
// Only the columns a transaction changed are written: the worker's long photo job must not write back an uploader
// that a case deletion handed on meanwhile (a lost update the deletion tests found).
@org.hibernate.annotations.DynamicUpdate
public class Photo extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, unique = true, columnDefinition = "bpchar(64)")
    public String sha256;

    @Column(name = "content_type", nullable = false)
    public String contentType;

    @Column(name = "byte_size", nullable = false)
    public long byteSize;

    @Column(nullable = false)
    public int width;

    @Column(nullable = false)
    public int height;

    @Column(name = "original_name")
    public String originalName;

    @Column(name = "uploaded_by", nullable = false)
    public String uploadedBy;

    /** The first uploader's unit when they uploaded; null when they had none (or before it was recorded). */
    @Column(name = "uploaded_by_unit")
    public String uploadedByUnit;

    @Column(name = "uploaded_at", nullable = false)
    public Instant uploadedAt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public PhotoState state = PhotoState.queued;

    @Column(name = "failure_reason")
    public String failureReason;

    @Column(name = "processed_at")
    public Instant processedAt;

    /** The runtime fingerprint (libtorch, device, CPU, self-test version) that computed the faces; null: unknown. */
    @Column(name = "analysed_by")
    public String analysedBy;

    @Version
    public long version;

    public static Optional<Photo> findBySha256(String sha256) {
        return find("sha256", sha256).firstResultOptional();
    }
}
