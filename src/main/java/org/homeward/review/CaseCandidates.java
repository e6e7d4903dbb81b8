package org.homeward.review;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.homeward.cases.CaseDetail;
import org.homeward.cases.CaseTimeline;
import org.homeward.matching.Candidate;
import org.homeward.matching.EvidenceText;
import org.homeward.referrals.Referral;
import org.homeward.referrals.ReferralService;
import org.homeward.sightings.Sighting;
import org.homeward.sightings.SightingService;

/**
 * The sightings that list a case as a candidate, for the case page (the case's people see what the reverse
 * search raised: {@link ConfirmedMatchBanner}, {@link CaseCandidatesTable}), and what review adds to the case's
 * timeline. A sighting of another unit shows only its unit and the evidence, not its photos or notes, unless it
 * was referred to the case's unit.
 */
@ApplicationScoped
public class CaseCandidates implements CaseTimeline.Source {

    /**
     * One sighting that lists the case. {@code sightingReference} and the sighting's face ({@code sightingFaceId}, the
     * thumbnail) are null when the viewer may not see the sighting.
     */
    public record Row(long candidateId, String sightingReference, String sightingUnit, LocalDate seenOn,
            String likelihoodRatio, String band, String state, Long sightingFaceId) {
        public boolean visible() {
            return sightingReference != null;
        }
    }

    /** A match a supervisor confirmed: the banner at the top of the case. Sighting details only for those who may see it. */
    public record Confirmed(long candidateId, String sightingReference, String sightingUnit, LocalDate seenOn,
            String place, String confirmedBy, Instant confirmedAt) {
        public boolean visible() {
            return sightingReference != null;
        }
    }

    @Inject
    SightingService sightings;

    @Inject
    ReferralService referrals;

    /** Whether the case page's viewer may see the candidate's sighting: their own unit's, or one referred to them. */
    private boolean sightingVisible(Candidate c) {
        return sightings.canSee(c.sightingId) || referrals.toMyUnit(c.id).isPresent();
    }

    /** The case's confirmed matches, newest confirmation first. Called by the case page, whose caller may see the case. */
    @Transactional
    public List<Confirmed> confirmed(long caseId) {
        return Candidate.<Candidate>list("caseId = ?1 and state = ?2", caseId, Candidate.State.confirmed).stream().map(c -> {
            Sighting s = Sighting.findById(c.sightingId);
            boolean visible = sightingVisible(c);
            Verdict confirm = Verdict.<Verdict>find("candidateId = ?1 and decision = ?2 order by decidedAt desc, id desc",
                    c.id, Verdict.Decision.confirm).firstResult();
            return new Confirmed(c.id, visible ? s.reference : null, s.unit, visible ? s.seenOn : null,
                    visible ? s.place : null, confirm == null ? null : confirm.reviewerName != null ? confirm.reviewerName : confirm.reviewer,
                    confirm == null ? null : confirm.decidedAt);
        }).sorted(Comparator.comparing(Confirmed::confirmedAt, Comparator.nullsLast(Comparator.reverseOrder())))
                .toList();
    }

    /**
     * Every verdict and confirmation on the case's candidates, and the referrals it received. Called by the case
     * page, whose caller may see the case (and so read the comments).
     */
    @Override
    @Transactional
    public List<CaseTimeline.Entry> entriesOf(CaseDetail caseFile) {
        List<CaseTimeline.Entry> entries = new ArrayList<>();
        for (Candidate c : Candidate.<Candidate>list("caseId", caseFile.id())) {
            Sighting s = Sighting.findById(c.sightingId);
            boolean visible = sightingVisible(c);
            String sighting = visible ? "sighting " + s.reference : "a sighting of unit " + s.unit;
            String link = visible ? "/candidates/" + c.id : null;
            for (Verdict v : Verdict.<Verdict>list("candidateId = ?1 order by decidedAt, id", c.id)) {
                entries.add(new CaseTimeline.Entry(v.decidedAt, "verdict-" + v.decision,
                        v.reviewerName != null ? v.reviewerName : v.reviewer, v.decision.label() + " on " + sighting,
                        v.comment, link));
            }
            Referral.<Referral>find("candidateId", c.id).firstResultOptional().ifPresent(r -> entries.add(
                    new CaseTimeline.Entry(r.raisedAt, "referral", "Homeward", (visible ? "Sighting " + s.reference
                            : "A sighting") + " of unit " + r.fromUnit + " referred to this unit for review", null, link)));
        }
        return entries;
    }

    /** Called by the case page, whose caller may see the case. */
    @Transactional
    public List<Row> of(long caseId) {
        return Candidate.<Candidate>list("caseId = ?1 order by likelihoodRatio desc, id", caseId).stream().map(c -> {
            Sighting s = Sighting.findById(c.sightingId);
            boolean visible = sightingVisible(c);
            return new Row(c.id, visible ? s.reference : null, s.unit, visible ? s.seenOn : null,
                    EvidenceText.ratio(c.likelihoodRatio), c.evidenceBand.label(), c.state.name().replace('_', ' '),
                    visible ? c.sightingFaceId : null);
        }).toList();
    }
}
