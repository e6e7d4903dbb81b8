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

    @Inject
    SightingService sightings;

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
