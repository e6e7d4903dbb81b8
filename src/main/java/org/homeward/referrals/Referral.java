package org.homeward.referrals;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A candidate on another unit's case, handed to that unit for review. Its state is not stored: it follows the
 * candidate's review (see {@link ReferralState}), so the two can never disagree.
 */
@Entity
@Table(name = "referral")
public class Referral extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "candidate_id", nullable = false, unique = true)
    public Long candidateId;

    @Column(name = "sighting_id", nullable = false)
    public Long sightingId;

    @Column(name = "case_id", nullable = false)
    public Long caseId;

    /** The sighting's unit. */
    @Column(name = "from_unit", nullable = false)
    public String fromUnit;

    /** The case's unit, which reviews and confirms. */
    @Column(name = "to_unit", nullable = false)
    public String toUnit;

    @Column(name = "raised_by", nullable = false)
    public String raisedBy;

    @Column(name = "raised_at", nullable = false)
    public Instant raisedAt;

    @Column(name = "opened_by")
    public String openedBy;

    @Column(name = "opened_at")
    public Instant openedAt;

    @Column(name = "shared_by")
    public String sharedBy;

    @Column(name = "shared_at")
    public Instant sharedAt;
}
