package org.homeward.referrals;

import java.time.Instant;
import java.util.List;

/**
 * A referral as one of its two units sees it. The case's reference and the child's name are filled in only for
 * the case's side, or for the sighting's side once the case's unit shared them; photos of the case never are.
 */
public record ReferralView(long id, long candidateId, long sightingId, String sightingReference, String fromUnit,
        String toUnit, ReferralState state, Instant raisedAt, Instant openedAt, boolean caseSide, String caseReference,
        String childName, Instant sharedAt, String likelihoodRatio, String band, List<Step> history) {

    /** One audited step of the referral, without its details (they may name the case). */
    public record Step(Instant at, String actor, String what) {
    }

    public String stateLabel() {
        return state.label();
    }

    public boolean caseShown() {
        return caseReference != null;
    }

    public boolean shared() {
        return sharedAt != null;
    }
}
