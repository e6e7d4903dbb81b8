package org.homeward.matching;

import com.fasterxml.jackson.annotation.JsonValue;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Converter;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.Locale;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One open case that one sighting face could be: its place in the ranking, the evidence (score, likelihood
 * ratio, band) with the models that produced it, the cautions a person must weigh, and where review stands.
 */
@Entity
@Table(name = "candidate")
public class Candidate extends PanacheEntityBase {

    /** Where review stands. Lower case: the stored values. */
    public enum State {
        unreviewed,
        /** A reviewer said "possible match"; a second person, a supervisor, must confirm it. */
        provisional,
        confirmed,
        not_match,
        inconclusive
    }

    /** Which search listed the candidate; the column and the API hold its lower-case name. */
    public enum FoundBy {
        /** The sighting's own search. */
        SIGHTING("the sighting's search"),
        /** A case's search over past sightings, when it gained a face. */
        CASE("the case's search over past sightings");

        private final String description;

        FoundBy(String description) {
            this.description = description;
        }

        /** What a page says: "found ... by {description}". */
        public String description() {
            return description;
        }

        @JsonValue
        public String stored() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** found_by's text: 'sighting' or 'case' (V5's check constraint). */
        @Converter
        public static class Column implements AttributeConverter<FoundBy, String> {
            @Override
            public String convertToDatabaseColumn(FoundBy value) {
                return value == null ? null : value.stored();
            }

            @Override
            public FoundBy convertToEntityAttribute(String stored) {
                return stored == null ? null : FoundBy.valueOf(stored.toUpperCase(Locale.ROOT));
            }
        }
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "sighting_id", nullable = false)
    public Long sightingId;

    @Column(name = "sighting_face_id", nullable = false)
    public Long sightingFaceId;

    @Column(name = "case_id", nullable = false)
    public Long caseId;

    /** 1-based rank among the listed candidates of this sighting face. */
    @Column(nullable = false)
    public int position;

    /** The case score: the soft maximum of the similarities of all the case's searchable faces. */
    @Column(nullable = false)
    public float score;

    @Column(name = "best_similarity", nullable = false)
    public float bestSimilarity;

    @Column(name = "best_face_id")
    public Long bestFaceId;

    @Column(name = "faces_compared", nullable = false)
    public int facesCompared;

    @Column(name = "likelihood_ratio", nullable = false)
    public double likelihoodRatio;

    @Enumerated(EnumType.STRING)
    @Column(name = "evidence_band", nullable = false)
    public EvidenceCalibration.Band evidenceBand;

    /** Soft constraints this case strains (age, sex, unchecked facts): shown beside the evidence. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false, columnDefinition = "text[]")
    public String[] cautions = new String[0];

    @Column(name = "model_id", nullable = false)
    public String modelId;

    @Column(name = "calibration_id", nullable = false)
    public String calibrationId;

    @Convert(converter = FoundBy.Column.class)
    @Column(name = "found_by", nullable = false)
    public FoundBy foundBy;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public State state = State.unreviewed;

    @Column(name = "found_at", nullable = false)
    public Instant foundAt;

    @Version
    public long version;
}
