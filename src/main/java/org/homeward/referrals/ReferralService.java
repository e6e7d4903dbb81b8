package org.homeward.referrals;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.homeward.audit.AuditEvent;
import org.homeward.audit.AuditTrail;
import org.homeward.cases.CaseAssignment;
import org.homeward.cases.CaseFile;
import org.homeward.cases.CaseService;
import org.homeward.inbox.Inbox;
import org.homeward.matching.Candidate;
import org.homeward.matching.EvidenceText;
import org.homeward.referrals.ReferralRules.ReferralActionNotAllowed;
import org.homeward.referrals.ReferralRules.ReferralNotFound;
import org.homeward.security.CurrentUser;
import org.homeward.security.Roles;
import org.homeward.sightings.Sighting;
import org.homeward.sightings.SightingSearched;
import org.homeward.worker.JobHandler;

/**
 * Tracing across units. A search covers every unit's open cases, but only the case's unit may see the child's
 * file; so a candidate on another unit's case is referred to that unit, whose people review it with the
 * sighting in front of them and whose supervisor confirms it. The sighting's unit follows the state, never the
 * case's personal data unless the case's unit shares it. Every step is audited on the referral, which both
 * units' views of it show.
 */
@ApplicationScoped
public class ReferralService {

    /** Referred on its own when the evidence favours "same child" (likelihood ratio above 1); weaker ones are not,
     * so a unit's inbox is not filled with every distant resemblance the search lists. */
    static final double REFER_ABOVE = 1.0;


    /** What each audited step is called where people read it. */
    private static final Map<String, String> STEPS = Map.of(
            "referral.raise", "Referred",
            "referral.open", "Opened by the case's unit",
            "referral.verdict", "Verdict",
            "referral.confirm", "Confirmed by a supervisor of the case's unit",
            "referral.refuse", "Not confirmed by a supervisor of the case's unit",
            "referral.share", "Case reference and name shared with the sighting's unit");

    @Inject
    CurrentUser currentUser;

    @Inject
    CaseService cases;

    @Inject
    AuditTrail audit;

    @Inject
    Inbox inbox;

    /** A search listed candidates: refer those on other units' cases that the evidence supports. */
    @Transactional(Transactional.TxType.MANDATORY)
    void onSearched(@Observes SightingSearched searched) {
        Sighting s = Sighting.findById(searched.sightingId());
        if (s == null) {
            return;
        }
        for (Candidate c : Candidate.<Candidate>list("sightingId = ?1 and likelihoodRatio > ?2 order by id", s.id, REFER_ABOVE)) {
            CaseFile file = CaseFile.findById(c.caseId);
            if (file != null && !file.unit.equals(s.unit) && Referral.count("candidateId", c.id) == 0) {
                raise(c, s, file);
            }
        }
    }

    private void raise(Candidate c, Sighting s, CaseFile file) {
        Referral r = new Referral();
        r.candidateId = c.id;
        r.sightingId = s.id;
        r.caseId = file.id;
        r.fromUnit = s.unit;
        r.toUnit = file.unit;
        r.raisedBy = JobHandler.ACTOR;
        r.raisedAt = Instant.now();
        r.persist();
        audit.recordAs(JobHandler.ACTOR, "referral.raise", "referral", r.id,
                "sighting " + s.reference + " of unit " + s.unit + " to unit " + file.unit);
        // The case's unit, and anyone of another unit assigned to the case; a person who is both reads it once.
        Set<String> assignees = new LinkedHashSet<>();
        CaseAssignment.<CaseAssignment>list("caseId", file.id).forEach(a -> assignees.add(a.username));
        String message = "Sighting " + s.reference + " of unit " + s.unit + " may be the child of case " + file.reference
                + " (likelihood ratio " + EvidenceText.ratio(c.likelihoodRatio) + ", " + c.evidenceBand.label()
                + "). It was referred to your unit: review it.";
        List<Long> faces = c.bestFaceId == null ? List.of(c.sightingFaceId) : List.of(c.sightingFaceId, c.bestFaceId);
        inbox.toUnit(file.unit, ReferralMessages.SUBJECT, r.id, message, link(r), faces);
        inbox.toPeople(assignees, ReferralMessages.SUBJECT, r.id, message, link(r), faces);
    }

    /** The referral of this candidate to the caller's unit: what lets the case's people see a sighting not theirs. */
    public Optional<Referral> toMyUnit(long candidateId) {
        return myUnitAsMember().flatMap(unit ->
                Referral.<Referral>find("candidateId = ?1 and toUnit = ?2", candidateId, unit).firstResultOptional());
    }

    /** Whether a sighting was referred to the caller's unit (for its photos). */
    public boolean sightingReferredToMyUnit(long sightingId) {
        return myUnitAsMember().map(unit -> Referral.count("sightingId = ?1 and toUnit = ?2", sightingId, unit) > 0)
                .orElse(false);
    }

    /** Someone of the case's unit opened the referred candidate: from now on it is under review. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void opened(Candidate c) {
        toMyUnit(c.id).filter(r -> r.openedAt == null).ifPresent(r -> {
            r.openedAt = Instant.now();
            r.openedBy = currentUser.username();
            audit.record("referral.open", "referral", r.id, null);
        });
    }

    /**
     * A verdict or a supervisor's decision on a candidate: when it is referred, the step is audited on the
     * referral too, and an outcome (confirmed, not a match) is told to the sighting's unit, without the case.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void decided(Candidate c, String step, String decisionLabel) {
        Referral r = Referral.<Referral>find("candidateId", c.id).firstResult();
        if (r == null) {
            return;
        }
        // A verdict's step says which verdict; a confirmation's or refusal's name says it all.
        audit.record("referral." + step, "referral", r.id, "verdict".equals(step) ? decisionLabel : null);
        ReferralState state = ReferralState.of(r, c.state);
        if (state == ReferralState.confirmed || state == ReferralState.not_match) {
            Sighting s = Sighting.findById(r.sightingId);
            String outcome = state == ReferralState.confirmed
                    ? "was confirmed by unit " + r.toUnit + " as a match for one of its cases"
                    : "is not a match for the case of unit " + r.toUnit + " it was referred for";
            inbox.toUnit(r.fromUnit, ReferralMessages.SUBJECT, r.id, "Sighting " + s.reference + " " + outcome + ".", link(r),
                    List.of(c.sightingFaceId));
        }
    }

    /** The case's unit shows the sighting's unit the case's reference and the child's name (never its photos). */
    @Transactional
    public ReferralView share(long id) {
        Referral r = visible(id);
        boolean caseUnitMember = myUnitAsMember().map(r.toUnit::equals).orElse(false);
        if (!caseUnitMember) {
            throw new ReferralActionNotAllowed("Only investigators and supervisors of unit " + r.toUnit
                    + ", which holds the case, may share its details.");
        }
        if (r.sharedAt == null) {
            r.sharedAt = Instant.now();
            r.sharedBy = currentUser.username();
            audit.record("referral.share", "referral", r.id, "with unit " + r.fromUnit);
            CaseFile file = CaseFile.findById(r.caseId);
            Sighting s = Sighting.findById(r.sightingId);
            inbox.toUnit(r.fromUnit, ReferralMessages.SUBJECT, r.id, "Unit " + r.toUnit + " shared the case that sighting " + s.reference
                    + " was referred for: " + file.reference + ", " + file.childName + ".", link(r), List.of());
        }
        return view(r);
    }

    /** Referrals to and from the caller's unit (all for an admin), newest first. */
    @Transactional
    public List<ReferralView> mine() {
        List<Referral> found = currentUser.hasRole(Roles.ADMIN) ? Referral.list("order by raisedAt desc, id desc")
                : myUnitAsMember().map(unit -> Referral.<Referral>list(
                        "toUnit = ?1 or fromUnit = ?1 order by raisedAt desc, id desc", unit)).orElse(List.of());
        return found.stream().map(this::view).toList();
    }

    @Transactional
    public ReferralView get(long id) {
        return view(visible(id));
    }

    /** The referral of a candidate as the caller sees it; empty when there is none or it is not theirs to see. */
    @Transactional
    public Optional<ReferralView> ofCandidate(long candidateId) {
        return Referral.<Referral>find("candidateId", candidateId).firstResultOptional().filter(this::maySee).map(this::view);
    }

    /** The referrals of a sighting the caller may see, for its page: the state of each. */
    @Transactional
    public List<ReferralView> ofSighting(long sightingId) {
        return Referral.<Referral>list("sightingId = ?1 order by raisedAt, id", sightingId).stream().filter(this::maySee)
                .map(this::view).toList();
    }

    private Referral visible(long id) {
        return Referral.<Referral>findByIdOptional(id).filter(this::maySee).orElseThrow(() -> new ReferralNotFound(id));
    }

    private boolean maySee(Referral r) {
        return currentUser.hasRole(Roles.ADMIN)
                || myUnitAsMember().map(unit -> unit.equals(r.toUnit) || unit.equals(r.fromUnit)).orElse(false);
    }

    /** The caller's unit, when they work in it as an investigator or supervisor. */
    private Optional<String> myUnitAsMember() {
        boolean member = currentUser.hasRole(Roles.INVESTIGATOR) || currentUser.hasRole(Roles.SUPERVISOR);
        return member ? currentUser.unit() : Optional.empty();
    }

    private ReferralView view(Referral r) {
        Candidate c = Candidate.findById(r.candidateId);
        Sighting s = Sighting.findById(r.sightingId);
        boolean caseSide = cases.canSee(r.caseId);
        CaseFile file = caseSide || r.sharedAt != null ? CaseFile.findById(r.caseId) : null;
        List<ReferralView.Step> history = AuditEvent.<AuditEvent>list(
                "objectType = 'referral' and objectId = ?1 order by id", String.valueOf(r.id)).stream()
                .map(e -> new ReferralView.Step(e.occurredAt, JobHandler.ACTOR.equals(e.actor) ? "Homeward's search" : e.actor,
                        STEPS.getOrDefault(e.action, e.action) + (e.details == null ? "" : ": " + e.details)))
                .toList();
        return new ReferralView(r.id, r.candidateId, r.sightingId, s.reference, r.fromUnit, r.toUnit,
                ReferralState.of(r, c.state), r.raisedAt, r.openedAt, caseSide, file == null ? null : file.reference,
                file == null ? null : file.childName, r.sharedAt, EvidenceText.ratio(c.likelihoodRatio),
                c.evidenceBand.label(), history);
    }

    private static String link(Referral r) {
        return "/candidates/" + r.candidateId;
    }
}
