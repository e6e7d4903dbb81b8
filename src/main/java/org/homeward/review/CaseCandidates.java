package org.homeward.review;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.transaction.Transactional;
import java.util.List;
import org.homeward.matching.Candidate;
import org.homeward.matching.CandidateView;
import org.homeward.matching.EvidenceText;
import org.homeward.sightings.Sighting;
import org.homeward.sightings.SightingService;

/**
 * The sightings that list a case as a candidate, for the case page (the case's people see what the reverse
 * search raised). A sighting of another unit shows only its unit and the evidence, not its photos or notes.
 */
@ApplicationScoped
@Named("caseCandidates")
public class CaseCandidates {

    /** One sighting that lists the case. {@code sightingReference} is null when the viewer may not see the sighting. */
    public record Row(long candidateId, String sightingReference, String sightingUnit, java.time.LocalDate seenOn,
            String likelihoodRatio, String band, String state) {
        public boolean visible() {
            return sightingReference != null;
        }
    }

    /** A match a supervisor confirmed: the banner at the top of the case. Sighting details only for those who may see it. */
    public record Confirmed(long candidateId, String sightingReference, String sightingUnit, java.time.LocalDate seenOn,
            String place, String confirmedBy, java.time.Instant confirmedAt) {
        public boolean visible() {
            return sightingReference != null;
        }
    }

    @Inject
    SightingService sightings;

    /** The case's confirmed matches, newest confirmation first. Called by the case page, whose caller may see the case. */
    @Transactional
    public List<Confirmed> confirmed(long caseId) {
        return Candidate.<Candidate>list("caseId = ?1 and state = ?2", caseId, Candidate.State.confirmed).stream().map(c -> {
            Sighting s = Sighting.findById(c.sightingId);
            boolean visible = sightings.canSee(s.id);
            Verdict confirm = Verdict.<Verdict>find("candidateId = ?1 and decision = ?2 order by decidedAt desc, id desc",
                    c.id, Verdict.Decision.confirm).firstResult();
            return new Confirmed(c.id, visible ? s.reference : null, s.unit, visible ? s.seenOn : null,
                    visible ? s.place : null, confirm == null ? null : confirm.reviewerName != null ? confirm.reviewerName : confirm.reviewer,
                    confirm == null ? null : confirm.decidedAt);
        }).sorted(java.util.Comparator.comparing(Confirmed::confirmedAt, java.util.Comparator.nullsLast(java.util.Comparator.reverseOrder())))
                .toList();
    }

    /** Called by the case page, whose caller may see the case. */
    @Transactional
    public List<Row> of(long caseId) {
        return Candidate.<Candidate>list("caseId = ?1 order by likelihoodRatio desc, id", caseId).stream().map(c -> {
            Sighting s = Sighting.findById(c.sightingId);
            boolean visible = sightings.canSee(s.id);
            return new Row(c.id, visible ? s.reference : null, s.unit, visible ? s.seenOn : null,
                    EvidenceText.ratio(c.likelihoodRatio), CandidateView.bandLabel(c.evidenceBand), c.state.name().replace('_', ' '));
        }).toList();
    }
}
