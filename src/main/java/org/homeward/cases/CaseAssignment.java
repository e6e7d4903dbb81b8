package org.homeward.cases;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** A person assigned to a case: they see it even when it belongs to another unit. */
@Entity
@Table(name = "case_assignment")
@IdClass(CaseAssignment.Key.class)
public class CaseAssignment extends PanacheEntityBase {

    /** The composite key: one row per case and username. */
    public static class Key implements Serializable {
        public Long caseId;
        public String username;

        public Key() {
        }

        public Key(Long caseId, String username) {
            this.caseId = caseId;
            this.username = username;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(caseId, k.caseId) && Objects.equals(username, k.username);
        }

        @Override
        public int hashCode() {
            return Objects.hash(caseId, username);
        }
    }

    @Id
    @Column(name = "case_id")
    public Long caseId;

    @Id
    public String username;

    @Column(name = "assigned_by", nullable = false)
    public String assignedBy;

    @Column(name = "assigned_at", nullable = false)
    public Instant assignedAt;
}
