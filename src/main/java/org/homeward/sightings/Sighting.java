package org.homeward.sightings;

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
import org.homeward.cases.Sex;

/** A new photo (or a few) of someone who may be a missing child, with when, where and how it came in. */
@Entity
@Table(name = "sighting")
public class Sighting extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, unique = true)
    public String reference;

    @Column(nullable = false)
    public String unit;

    /** The day the person was seen, or the day the photo was taken. */
    @Column(name = "seen_on", nullable = false)
    public LocalDate seenOn;

    public String place;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public SightingSource source;

    public String notes;

    /** The sex the person appears to be, when the reporter could tell. */
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Sex sex = Sex.unknown;

    /** The case a supervisor confirmed this sighting belongs to. */
    @Column(name = "linked_case_id")
    public Long linkedCaseId;

    @Enumerated(EnumType.STRING)
    @Column(name = "search_state", nullable = false)
    public SearchState searchState = SearchState.waiting;

    @Column(name = "search_error")
    public String searchError;

    @Column(name = "searched_at")
    public Instant searchedAt;

    /** Cases the search found but left out because they cannot be this person (age, dates). */
    @Column(name = "excluded_cases", nullable = false)
    public int excludedCases;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Version
    public long version;
}
