package org.homeward.home;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.homeward.cases.CaseService;
import org.homeward.cases.CaseSummary;
import org.homeward.inbox.Inbox;
import org.homeward.matching.CandidateView;
import org.homeward.referrals.ReferralService;
import org.homeward.referrals.ReferralState;
import org.homeward.referrals.ReferralView;
import org.homeward.review.ReviewService;
import org.homeward.security.CurrentUser;
import org.homeward.security.Roles;
import org.homeward.web.SqlTimes;

/**
 * What waits for the signed-in person, for the home page: their open cases, the candidates they may review or
 * confirm, the referrals still open to or from their unit, unread messages, and their photos not analysed yet. Each
 * part comes from its feature's own service, so what is shown here is what its own page would show them.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class WorkList {

    /** How many items of each part the home page lists; the part's own page has the rest. */
    static final int SHOWN = 8;

    @Inject
    CurrentUser currentUser;

    @Inject
    EntityManager em;

    @Inject
    CaseService cases;

    @Inject
    ReviewService review;

    @Inject
    ReferralService referrals;

    @Inject
    Inbox inbox;

    /** A photo the person uploaded that is not analysed yet, or failed, and where it is used. */
    public record PendingPhoto(long photoId, String name, String state, String failureReason, Instant uploadedAt,
            Long caseId, String caseReference, Long sightingId, String sightingReference) {

        public String link() {
            if (caseId != null) {
                return "/cases/" + caseId + "/photos/" + photoId;
            }
            return sightingId != null ? "/sightings/" + sightingId : null;
        }
    }

    /**
     * The work list: of each part its first {@link #SHOWN} items and how many there are in all (concrete lists, so the
     * template is checked against their types).
     */
    public record Items(boolean works, List<CaseSummary> myCases, int myCasesTotal, List<CandidateView> candidates,
            int candidatesTotal, List<ReferralView> referrals, int referralsTotal, long unread,
            List<PendingPhoto> photos, int photosTotal) {

        static final Items NONE = new Items(false, List.of(), 0, List.of(), 0, List.of(), 0, 0, List.of(), 0);
    }

    private static <T> List<T> first(List<T> all) {
        return all.stream().limit(SHOWN).toList();
    }

    @Transactional
    public Items forMe() {
        if (!currentUser.hasRole(Roles.INVESTIGATOR) && !currentUser.hasRole(Roles.SUPERVISOR)
                && !currentUser.hasRole(Roles.ADMIN)) {
            return Items.NONE;
        }
        List<CaseSummary> myCases = myCases();
        ReviewService.QueuePage candidates = review.queue(0);
        List<ReferralView> open = openReferrals();
        List<PendingPhoto> photos = pendingPhotos();
        return new Items(true, first(myCases), myCases.size(), first(candidates.items()), (int) candidates.total(), first(open),
                open.size(), inbox.unreadCount(), first(photos), photos.size());
    }

    /** Open cases the person opened or is assigned to, most recently changed first, as the cases list shows them. */
    private List<CaseSummary> myCases() {
        @SuppressWarnings("unchecked")
        List<Number> ids = em.createNativeQuery("""
                SELECT c.id FROM case_file c
                 WHERE c.status = 'open'
                   AND (c.created_by = :me OR EXISTS (SELECT 1 FROM case_assignment a
                                                       WHERE a.case_id = c.id AND a.username = :me))
                 ORDER BY c.updated_at DESC, c.id DESC""")
                .setParameter("me", currentUser.username())
                .getResultList();
        return ids.stream().map(id -> cases.summaryIfVisible(id.longValue())).flatMap(Optional::stream).toList();
    }

    /** Referrals still in progress (referred or under review) to or from the person's unit. */
    private List<ReferralView> openReferrals() {
        return referrals.mine().stream()
                .filter(r -> r.state() == ReferralState.referred || r.state() == ReferralState.under_review)
                .toList();
    }

    /** The person's uploads still queued, being analysed, or failed, newest first, with the case or sighting. */
    private List<PendingPhoto> pendingPhotos() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                SELECT p.id, p.original_name, p.state, p.failure_reason, u.uploaded_at,
                       cp.case_id, c.reference, sp.sighting_id, s.reference
                  FROM photo_upload u
                  JOIN photo p ON p.id = u.photo_id
                  LEFT JOIN LATERAL (SELECT x.case_id FROM case_photo x WHERE x.photo_id = p.id
                                      ORDER BY x.added_at DESC LIMIT 1) cp ON true
                  LEFT JOIN case_file c ON c.id = cp.case_id
                  LEFT JOIN LATERAL (SELECT y.sighting_id FROM sighting_photo y WHERE y.photo_id = p.id
                                      ORDER BY y.added_at DESC LIMIT 1) sp ON true
                  LEFT JOIN sighting s ON s.id = sp.sighting_id
                 WHERE u.username = :me AND p.state IN ('queued', 'processing', 'failed')
                 ORDER BY u.uploaded_at DESC, p.id DESC
                 LIMIT 100""")
                .setParameter("me", currentUser.username())
                .getResultList();
        return rows.stream().map(r -> {
            Long caseId = r[5] == null ? null : ((Number) r[5]).longValue();
            Long sightingId = r[7] == null ? null : ((Number) r[7]).longValue();
            // A case the person may no longer see is not named (they may have been unassigned since).
            boolean caseShown = caseId != null && cases.canSee(caseId);
            return new PendingPhoto(((Number) r[0]).longValue(), (String) r[1], (String) r[2], (String) r[3],
                    SqlTimes.instant(r[4]), caseShown ? caseId : null, caseShown ? (String) r[6] : null, sightingId,
                    (String) r[8]);
        }).toList();
    }

}
