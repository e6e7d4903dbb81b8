package org.homeward.cases;

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
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A missing child's case file, owned by one agency unit. */
@Entity
@Table(name = "case_file")
public class CaseFile extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, unique = true)
    public String reference;

    @Column(name = "child_name", nullable = false)
    public String childName;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public CaseStatus status = CaseStatus.open;

    @Column(nullable = false)
    public String unit;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_by", nullable = false)
    public String updatedBy;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false, columnDefinition = "text[]")
    public String[] aliases = new String[0];

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Sex sex = Sex.unknown;

    /** The exact date of birth, when known. */
    @Column(name = "birth_date")
    public LocalDate birthDate;

    /** When only an estimate is known: the earliest and latest plausible dates of birth. */
    @Column(name = "birth_date_earliest")
    public LocalDate birthDateEarliest;

    @Column(name = "birth_date_latest")
    public LocalDate birthDateLatest;

    @Column(name = "last_seen_date")
    public LocalDate lastSeenDate;

    @Column(name = "last_seen_place")
    public String lastSeenPlace;

    public String circumstances;

    @Column(name = "distinguishing_marks")
    public String distinguishingMarks;

    @Column(name = "status_reason")
    public String statusReason;

    @Column(name = "status_changed_by")
    public String statusChangedBy;

    @Column(name = "status_changed_at")
    public Instant statusChangedAt;

    @Version
    public long version;

    /** The child's age on a date, as a range in years: exact when the birth date is known. Empty when unknown. */
    public Optional<AgeRange> ageOn(LocalDate date) {
        if (birthDate != null) {
            double years = years(birthDate, date);
            return Optional.of(new AgeRange(years, years));
        }
        if (birthDateEarliest != null && birthDateLatest != null) {
            return Optional.of(new AgeRange(years(birthDateLatest, date), years(birthDateEarliest, date)));
        }
        return Optional.empty();
    }

    private static double years(LocalDate from, LocalDate to) {
        return ChronoUnit.DAYS.between(from, to) / 365.2425;
    }
}
