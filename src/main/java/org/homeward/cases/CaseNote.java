package org.homeward.cases;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A dated note on a case's timeline; notes are added, never edited. */
@Entity
@Table(name = "case_note")
public class CaseNote extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "case_id", nullable = false)
    public Long caseId;

    @Column(nullable = false)
    public String author;

    @Column(name = "written_at", nullable = false)
    public Instant writtenAt;

    @Column(nullable = false)
    public String body;
}
