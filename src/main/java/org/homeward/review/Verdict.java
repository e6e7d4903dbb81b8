package org.homeward.review;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One decision on a candidate, kept for good: a reviewer's verdict or a supervisor's confirmation or refusal. */
@Entity
@Table(name = "verdict")
public class Verdict extends PanacheEntityBase {

    /** Lower case: the stored values. */
    public enum Decision {
        possible_match("Possible match"),
        not_match("Not a match"),
        inconclusive("Inconclusive"),
        confirm("Confirmed (second reviewer)"),
        refuse("Not confirmed (second reviewer)");

        private final String label;

        Decision(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** A first reviewer's verdict, as opposed to a supervisor's decision on a provisional one. */
        public boolean isReview() {
            return this == possible_match || this == not_match || this == inconclusive;
        }
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "candidate_id", nullable = false)
    public Long candidateId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Decision decision;

    @Column(nullable = false)
    public String comment;

    @Column(nullable = false)
    public String reviewer;

    @Column(name = "reviewer_name")
    public String reviewerName;

    @Column(name = "decided_at", nullable = false)
    public Instant decidedAt;
}
