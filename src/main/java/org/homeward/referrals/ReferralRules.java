package org.homeward.referrals;

import org.homeward.web.NotVisible;
import org.homeward.web.RuleViolation;

/** The rules of referrals, each a problem with its own status and a message a person can act on. */
public final class ReferralRules {

    private ReferralRules() {
    }

    /** No such referral, or one neither of whose units is the caller's. */
    public static class ReferralNotFound extends NotVisible {
        public ReferralNotFound(Object id) {
            super("referral-not-found", "Referral not found", "referral", id);
        }
    }

    /** The caller may see the referral but not do this with it (share it from the sighting's side, an admin). */
    public static class ReferralActionNotAllowed extends RuleViolation {
        public ReferralActionNotAllowed(String message) {
            super(403, "referral-action-not-allowed", "Not allowed on this referral", message);
        }
    }
}
