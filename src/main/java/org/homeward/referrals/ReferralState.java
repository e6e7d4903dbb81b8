package org.homeward.referrals;

import org.homeward.matching.Candidate;

/** Where a referral stands, as both units see it; derived from the candidate's review and whether it was opened. */
public enum ReferralState {
    referred("Referred"),
    under_review("Under review"),
    confirmed("Confirmed match"),
    not_match("Not a match");

    private final String label;

    ReferralState(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    static ReferralState of(Referral r, Candidate.State review) {
        return switch (review) {
            case confirmed -> confirmed;
            case not_match -> not_match;
            // A possible match awaiting confirmation, or an inconclusive verdict, is still being worked on.
            case provisional, inconclusive -> under_review;
            case unreviewed -> r.openedAt == null ? referred : under_review;
        };
    }
}
