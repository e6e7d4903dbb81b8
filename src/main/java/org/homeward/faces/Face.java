package org.homeward.faces;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.homeward.faces.pipeline.FaceDetection;
import org.homeward.models.FaceBox;
import org.homeward.photos.Photo;

/** A face found on a photo: where, how well it can be used (and why not), and its estimated age. */
@Entity
@Table(name = "face")
public class Face extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "photo_id")
    public Photo photo;

    @Column(name = "face_index", nullable = false)
    public int faceIndex;

    @Embedded
    public BoxColumns box;

    @Column(name = "detection_score", nullable = false)
    public float detectionScore;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false, columnDefinition = "real[]")
    public float[] landmarks;

    /** False when a quality gate refused the face; {@link #qualityReason} says which. */
    @Column(nullable = false)
    public boolean usable;

    @Column(name = "quality_reason")
    public String qualityReason;

    public Float sharpness;

    public Float yaw;

    @Column(name = "estimated_age")
    public Float estimatedAge;

    @Column(name = "age_uncertainty")
    public Float ageUncertainty;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** How the face was found (the detector, a tight crop framed, or the whole photo). */
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public FaceDetection detection = FaceDetection.detector;

    /** The detection box, in the upright photo's pixels. */
    public FaceBox faceBox() {
        return box.toFaceBox(detectionScore);
    }
}
