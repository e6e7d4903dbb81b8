package org.homeward.cases;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/**
 * A photo attached to a case: a childhood photo of the missing child, or a relative's adult photo that steers the
 * projections; with when it was taken and which face on it is the person it shows.
 */
@Entity
@Table(name = "case_photo")
@IdClass(CasePhoto.Key.class)
public class CasePhoto extends PanacheEntityBase {

    /** The composite key: one row per case and photoId. */
    public static class Key implements Serializable {
        public Long caseId;
        public Long photoId;

        public Key() {
        }

        public Key(Long caseId, Long photoId) {
            this.caseId = caseId;
            this.photoId = photoId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(caseId, k.caseId) && Objects.equals(photoId, k.photoId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(caseId, photoId);
        }
    }

    @Id
    @Column(name = "case_id")
    public Long caseId;

    @Id
    @Column(name = "photo_id")
    public Long photoId;

    /** Who the photo shows: the child (searched) or a relative as an adult (steers the projections, never searched). */
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public PhotoSubject shows = PhotoSubject.child;

    /** The face a person marked as the child (or the relative); null while the photo's single usable face stands for it. */
    @Column(name = "child_face_id")
    public Long childFaceId;

    @Column(name = "taken_on")
    public LocalDate takenOn;

    /** The age of the person shown, in the photo, when no date is known (years). */
    @Column(name = "age_at_photo")
    public Float ageAtPhoto;

    @Column(name = "added_by", nullable = false)
    public String addedBy;

    @Column(name = "added_at", nullable = false)
    public Instant addedAt;
}
