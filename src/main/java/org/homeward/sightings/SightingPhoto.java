package org.homeward.sightings;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** A photo that belongs to a sighting; every usable face on it is searched. */
@Entity
@Table(name = "sighting_photo")
@IdClass(SightingPhoto.Key.class)
public class SightingPhoto extends PanacheEntityBase {

    /** The composite key: one row per sighting and photo. */
    public static class Key implements Serializable {
        public Long sightingId;
        public Long photoId;

        public Key() {
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(sightingId, k.sightingId) && Objects.equals(photoId, k.photoId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(sightingId, photoId);
        }
    }

    @Id
    @Column(name = "sighting_id")
    public Long sightingId;

    @Id
    @Column(name = "photo_id")
    public Long photoId;

    @Column(name = "added_by", nullable = false)
    public String addedBy;

    @Column(name = "added_at", nullable = false)
    public Instant addedAt;
}
