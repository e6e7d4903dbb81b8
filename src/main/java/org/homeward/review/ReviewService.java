package org.homeward.review;

import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;
import org.homeward.audit.AuditTrail;
import org.homeward.cases.AgeRange;
import org.homeward.cases.CaseAssignment;
import org.homeward.cases.CaseDetail;
import org.homeward.cases.CaseFile;
import org.homeward.cases.CaseService;
import org.homeward.faces.Face;
import org.homeward.faces.ModelBundle;
import org.homeward.faces.index.EmbeddingKind;
import org.homeward.faces.index.FaceIndex;
import org.homeward.inbox.Inbox;
import org.homeward.matching.Candidate;
import org.homeward.matching.CandidateView;
import org.homeward.matching.Plausibility;
import org.homeward.projections.Projection;
import org.homeward.referrals.Referral;
import org.homeward.referrals.ReferralService;
import org.homeward.review.ReviewRules.CandidateNotFound;
import org.homeward.review.ReviewRules.DecisionConflict;
import org.homeward.review.ReviewRules.DecisionInvalid;
import org.homeward.review.ReviewRules.DecisionNotAllowed;
import org.homeward.security.CurrentUser;
import org.homeward.security.Roles;
import org.homeward.sightings.Sighting;
import org.homeward.sightings.SightingDetail;
import org.homeward.sightings.SightingService;
import org.homeward.web.Paging;

/**
 * Human review of candidates. Nobody acts on a machine ranking: a reviewer gives a verdict with a comment;
 * a "possible match" stays provisional until a supervisor who never proposed it confirms it (the
 * four-eyes rule); confirmation links the sighting to the case and tells the case's people. A candidate on
 * another unit's case is reviewed and confirmed by that unit, to which it was referred ({@link ReferralService}).
 * Every view, verdict and report is audited.
 */
@ApplicationScoped
public class ReviewService {

    @Inject
    CurrentUser currentUser;

    @Inject
    SightingService sightings;

    @Inject
    CaseService cases;

    @Inject
    FaceIndex index;

    @Inject
    ModelBundle models;

    @Inject
    Inbox inbox;

    @Inject
    AuditTrail audit;

    @Inject
    ReferralService referrals;

    @Transactional
    public CandidateDetail view(long id) {
        Candidate c = visible(id);
        audit.record("candidate.view", "candidate", id, null);
        referrals.opened(c);
        return detail(c);
    }

    /** A first verdict (or a new one, until a supervisor has confirmed): possible match, not a match, inconclusive. */
    @Transactional
    public CandidateDetail decide(long id, String decisionText, String comment) {
        Candidate c = visible(id);
        Verdict.Decision decision = parseDecision(decisionText);
        if (!decision.isReview()) {
            throw new DecisionInvalid("decision", "A reviewer's verdict is possible_match, not_match or inconclusive.");
        }
        String why = whyNotReview(c);
        if (why != null) {
            throw c.state == Candidate.State.confirmed ? new DecisionConflict(why) : new DecisionNotAllowed(why);
        }
        record(c, decision, comment);
        c.state = switch (decision) {
            case possible_match -> Candidate.State.provisional;
            case not_match -> Candidate.State.not_match;
            default -> Candidate.State.inconclusive;
        };
        audit.record("candidate.verdict", "candidate", id, decision.name());
        referrals.decided(c, "verdict", decision.label());
        if (decision == Verdict.Decision.possible_match) {
            // The case's unit: its supervisors are the ones who may confirm (for a referral, not the sighting's unit).
            Sighting s = Sighting.findById(c.sightingId);
            CaseFile file = CaseFile.findById(c.caseId);
            inbox.toUnit(file.unit, CandidateMessages.SUBJECT, c.id, "Possible match on sighting " + s.reference
                    + " awaits a supervisor's confirmation.", "/candidates/" + c.id);
        }
        return detail(c);
    }

    /** A supervisor's decision on a provisional "possible match": confirm or refuse, never their own. */
    @Transactional
    public CandidateDetail confirm(long id, String decisionText, String comment) {
        Candidate c = visible(id);
        Verdict.Decision decision = parseDecision(decisionText);
        if (decision != Verdict.Decision.confirm && decision != Verdict.Decision.refuse) {
            throw new DecisionInvalid("decision", "A supervisor's decision is confirm or refuse.");
        }
        String why = whyNotConfirm(c);
        if (why != null) {
            throw c.state != Candidate.State.provisional ? new DecisionConflict(why) : new DecisionNotAllowed(why);
        }
        Sighting s = Sighting.findById(c.sightingId);
        CaseFile file = CaseFile.findById(c.caseId);
        if (decision == Verdict.Decision.confirm) {
            Face face = Face.findById(c.sightingFaceId);
            Plausibility.Verdict plausible = Plausibility.check(file, new Plausibility.Sighted(s.seenOn, s.sex,
                    face.estimatedAge, models.ageEstimator().<DoubleUnaryOperator>map(a -> a::uncertaintyAt).orElse(null)));
            if (plausible.excluded()) {
                throw new DecisionInvalid("decision", "This case can no longer be confirmed: " + plausible.exclusion());
            }
            if (s.linkedCaseId != null && !s.linkedCaseId.equals(c.caseId)) {
                throw new DecisionConflict("Sighting " + s.reference + " is already linked to another case; "
                        + "a sighting can be linked to one case only.");
            }
        }
        record(c, decision, comment);
        if (decision == Verdict.Decision.confirm) {
            c.state = Candidate.State.confirmed;
            s.linkedCaseId = c.caseId;
            Set<String> people = new LinkedHashSet<>();
            people.add(file.createdBy);
            CaseAssignment.<CaseAssignment>list("caseId", file.id).forEach(a -> people.add(a.username));
            String message = "Sighting " + s.reference + " (seen " + s.seenOn + ") was confirmed as a match for case "
                    + file.reference + " by " + currentUser.displayName() + ".";
            inbox.toUnit(file.unit, CandidateMessages.SUBJECT, c.id, message, "/candidates/" + c.id);
            inbox.toPeople(people, CandidateMessages.SUBJECT, c.id, message, "/candidates/" + c.id);
            audit.record("candidate.confirm", "candidate", id, "sighting " + s.reference + " linked to case " + file.reference);
            referrals.decided(c, "confirm", decision.label());
        } else {
            c.state = Candidate.State.inconclusive;
            audit.record("candidate.refuse", "candidate", id, null);
            referrals.decided(c, "refuse", decision.label());
        }
        return detail(c);
    }

    /** The data of a match report, for a provisional or confirmed candidate; every generation is audited. */
    @Transactional
    public CandidateDetail report(long id) {
        Candidate c = visible(id);
        if (c.state != Candidate.State.provisional && c.state != Candidate.State.confirmed) {
            throw new DecisionConflict("A match report exists only for a possible match (provisional or confirmed); this"
                    + " candidate is " + c.state.name().replace('_', ' ') + ".");
        }
        if (!cases.canSee(c.caseId)) {
            throw new DecisionNotAllowed("The report shows the case's photos, and you may not see that case.");
        }
        audit.record("candidate.report", "candidate", id, "state=" + c.state);
        return detail(c);
    }

    /** Candidates per page of the queue. */
    public static final int PAGE_SIZE = 25;

    /** One page of the queue, with the references of its sightings (by sighting id) for the page to name them. */
    public record QueuePage(List<CandidateView> items, int page, int pageCount, long total, Map<Long, String> sightings) {
        static final QueuePage EMPTY = new QueuePage(List.of(), 0, 1, 0, Map.of());

        public String sightingReference(long sightingId) {
            return sightings.getOrDefault(sightingId, "sighting " + sightingId);
        }
    }

    /**
     * The candidates awaiting the caller, newest first: unreviewed ones they may review, and provisional ones they
     * may confirm. The rules of {@link #mayOpen}, {@link #whyNotReview} and {@link #whyNotConfirm} as one query, so
     * only a page of candidates is read.
     */
    @Transactional
    public QueuePage queue(int page) {
        boolean supervisor = currentUser.hasRole(Roles.SUPERVISOR);
        boolean member = supervisor || currentUser.hasRole(Roles.INVESTIGATOR);
        if (!member) {
            return QueuePage.EMPTY; // only investigators and supervisors give verdicts
        }
        Parameters params = cases.visibilityParameters();
        String unit = currentUser.unit().orElse(null);
        StringBuilder where = new StringBuilder("c.caseId in (" + cases.visibleCaseIds() + ")");
        // the sighting's unit (admins: every sighting), or the unit the candidate was referred to
        if (!currentUser.hasRole(Roles.ADMIN)) {
            if (unit == null) {
                return QueuePage.EMPTY;
            }
            where.append(" and (c.sightingId in (select s.id from Sighting s where s.unit = :myUnit)"
                    + " or exists (select 1 from Referral r where r.candidateId = c.id and r.toUnit = :myUnit))");
            params.and("myUnit", unit);
        }
        where.append(" and (c.state = :unreviewed");
        params.and("unreviewed", Candidate.State.unreviewed);
        if (supervisor) {
            // four-eyes: nobody confirms a match they ever proposed
            where.append(" or c.state = :provisional and not exists (select 1 from Verdict v where v.candidateId = c.id"
                    + " and v.decision = :proposed and v.reviewer = :me)");
            params.and("provisional", Candidate.State.provisional).and("proposed", Verdict.Decision.possible_match)
                    .and("me", currentUser.username());
        }
        where.append(")");
        var query = Candidate.<Candidate>find("from Candidate c where " + where,
                Sort.descending("c.foundAt").and("c.id", Sort.Direction.Descending), params);
        long total = query.count();
        int pageCount = Paging.pageCount(total, PAGE_SIZE);
        int index = Paging.clamp(page, pageCount);
        List<CandidateView> items = query.page(Page.of(index, PAGE_SIZE)).list().stream().map(this::view).toList();
        Map<Long, String> references = new HashMap<>();
        List<Long> sightingIds = items.stream().map(CandidateView::sightingId).distinct().toList();
        if (!sightingIds.isEmpty()) {
            for (Sighting s : Sighting.<Sighting>list("id in ?1", sightingIds)) {
                references.put(s.id, s.reference);
            }
        }
        return new QueuePage(items, index, pageCount, total, references);
    }

    Candidate visible(long id) {
        Candidate c = Candidate.findById(id);
        if (c == null || !mayOpen(c)) {
            throw new CandidateNotFound(id);
        }
        return c;
    }

    /** The sighting's unit (and admins) may open a candidate, and so may the unit it was referred to. */
    private boolean mayOpen(Candidate c) {
        return sightings.canSee(c.sightingId) || referrals.toMyUnit(c.id).isPresent();
    }

    private String whyNotReview(Candidate c) {
        if (!currentUser.hasRole(Roles.INVESTIGATOR) && !currentUser.hasRole(Roles.SUPERVISOR)) {
            return "Only investigators and supervisors give verdicts.";
        }
        if (!cases.canSee(c.caseId)) {
            return referred(c) ? "This case belongs to another unit, to which this candidate was referred: its people review it."
                    : "This case belongs to another unit; ask that unit to review it with you.";
        }
        if (c.state == Candidate.State.confirmed) {
            return "A supervisor has already confirmed this match.";
        }
        return null;
    }

    private String whyNotConfirm(Candidate c) {
        if (c.state != Candidate.State.provisional) {
            return "Only a possible match awaiting confirmation can be confirmed or refused; this one is "
                    + c.state.name().replace('_', ' ') + ".";
        }
        if (!currentUser.hasRole(Roles.SUPERVISOR)) {
            return "A supervisor must confirm a possible match.";
        }
        if (!cases.canSee(c.caseId)) {
            return "This case belongs to another unit; a supervisor of that unit must confirm it"
                    + (referred(c) ? " (it was referred to them)." : ".");
        }
        // Everyone who ever proposed the match is excluded, not only the latest: a proposer must not be able to
        // have someone repeat the verdict and then confirm it.
        long proposedByCaller = Verdict.count("candidateId = ?1 and decision = ?2 and reviewer = ?3",
                c.id, Verdict.Decision.possible_match, currentUser.username());
        if (proposedByCaller > 0) {
            return "You gave a possible-match verdict on it yourself; a second person must confirm it (four-eyes rule).";
        }
        return null;
    }

    private static boolean referred(Candidate c) {
        return Referral.count("candidateId", c.id) > 0;
    }

    private void record(Candidate c, Verdict.Decision decision, String comment) {
        if (comment == null || comment.isBlank()) {
            throw new DecisionInvalid("comment", "Say why: a verdict needs a comment.");
        }
        if (comment.length() > 4000) {
            throw new DecisionInvalid("comment", "The comment is too long (" + comment.length() + " characters; at most 4000).");
        }
        Verdict v = new Verdict();
        v.candidateId = c.id;
        v.decision = decision;
        v.comment = comment.trim();
        v.reviewer = currentUser.username();
        v.reviewerName = currentUser.displayName();
        v.decidedAt = Instant.now();
        v.persist();
    }

    private static Verdict.Decision parseDecision(String text) {
        try {
            return Verdict.Decision.valueOf(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new DecisionInvalid("decision", "Choose a verdict: possible_match, not_match or inconclusive"
                    + " (a supervisor: confirm or refuse), not '" + text + "'.");
        }
    }

    private CandidateView view(Candidate c) {
        CaseFile file = CaseFile.findById(c.caseId);
        return CandidateView.of(c, cases.summaryIfVisible(c.caseId).orElse(null), file == null ? "?" : file.unit);
    }

    private CandidateDetail detail(Candidate c) {
        Face face = Face.findById(c.sightingFaceId);
        SightingDetail sighting = sightings.canSee(c.sightingId) ? sightings.describe(c.sightingId)
                : sightings.describeReferred(c.sightingId, c.id);
        CaseDetail caseFile = null;
        List<CandidateDetail.CaseFace> caseFaces = new ArrayList<>();
        if (cases.canSee(c.caseId)) {
            caseFile = cases.describe(c.caseId);
            CaseFile file = CaseFile.findById(c.caseId);
            float[] query = index.vectorOf(c.sightingFaceId, c.modelId).orElse(null);
            if (query != null) {
                for (FaceIndex.Neighbour n : index.caseFaces(c.modelId, query, List.of(c.caseId))) {
                    caseFaces.add(new CandidateDetail.CaseFace(n.faceId(), n.photoId(), n.kind(),
                            ageInPhoto(file, caseFile, n.photoId()), n.showsAge(), 1 - n.distance(),
                            projectionOf(n)));
                }
            }
        }
        // A comment may name the child or describe the case: only those who may see the case read it.
        boolean comments = caseFile != null;
        List<CandidateDetail.VerdictView> verdicts = Verdict.<Verdict>list("candidateId = ?1 order by decidedAt, id", c.id)
                .stream().map(v -> new CandidateDetail.VerdictView(v.decision, comments ? v.comment : null, v.reviewer,
                        v.reviewerName, v.decidedAt))
                .toList();
        return new CandidateDetail(view(c), referrals.ofCandidate(c.id).orElse(null), sighting,
                new CandidateDetail.SightingFace(face.id, face.photo.id, face.estimatedAge, face.ageUncertainty),
                caseFile, caseFaces, verdicts, whyNotReview(c), whyNotConfirm(c),
                (c.state == Candidate.State.provisional || c.state == Candidate.State.confirmed) && caseFile != null);
    }

    /** The projection a neighbour's vector was made from, so the page shows its image; null for a photo's face. */
    private static Long projectionOf(FaceIndex.Neighbour n) {
        if (n.kind() != EmbeddingKind.PROJECTION || n.showsAge() == null) {
            return null;
        }
        return Projection.<Projection>find("faceId = ?1 and targetAge = ?2", n.faceId(), n.showsAge())
                .firstResultOptional().map(p -> p.id).orElse(null);
    }

    private static Double ageInPhoto(CaseFile file, CaseDetail detail, long photoId) {
        for (CaseDetail.Photo p : detail.photos()) {
            if (p.photoId() == photoId) {
                if (p.ageAtPhoto() != null) {
                    return p.ageAtPhoto();
                }
                if (p.takenOn() != null) {
                    return file.ageOn(p.takenOn()).map(AgeRange::middle).orElse(null);
                }
            }
        }
        return null;
    }
}
