package org.homeward.faces.drawn;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.homeward.faces.BoxColumns;
import org.homeward.models.FaceBox;

/**
 * A box a person drew around a face the detector missed: kept with who drew it, so the worker can place the
 * landmarks in it ({@link DrawnFaceJob}) and a re-analysis of the photo cannot lose it.
 */
@Entity
@Table(name = "drawn_face")
public class DrawnFace extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "photo_id", nullable = false)
    public long photoId;

    @Embedded
    public BoxColumns box;

    @Column(name = "drawn_by", nullable = false)
    public String drawnBy;

    @Column(name = "drawn_at", nullable = false)
    public Instant drawnAt;

    /** The face the worker made of it; null while it waits, or when it failed. */
    @Column(name = "face_id")
    public Long faceId;

    @Column(name = "failure_reason")
    public String failureReason;

    /** The box as the pipeline takes it (inclusive corners). */
    public FaceBox faceBox() {
        return box.toFaceBox(0);
    }

    public boolean pending() {
        return faceId == null && failureReason == null;
    }
}
