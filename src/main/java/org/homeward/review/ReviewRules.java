package org.homeward.review;

import java.util.Map;
import org.homeward.web.InvalidInput;
import org.homeward.web.NotVisible;
import org.homeward.web.RuleViolation;

/** The rules of review, each a problem with its own status and a message a person can act on. */
public final class ReviewRules {

    private ReviewRules() {
    }

    /** No such candidate, or one on a sighting the caller may not see. */
    public static class CandidateNotFound extends NotVisible {
        public CandidateNotFound(Object id) {
            super("candidate-not-found", "Candidate not found", "candidate", id);
        }
    }

    /** The decision is not valid (no comment, unknown verdict); nothing changed. */
    public static class DecisionInvalid extends InvalidInput {
        public DecisionInvalid(String field, String message) {
            super("decision-invalid", "Decision not valid", message, Map.of(field, message));
        }
    }

    /** The caller may not take this decision (role, or the four-eyes rule). */
    public static class DecisionNotAllowed extends RuleViolation {
        public DecisionNotAllowed(String message) {
            super(403, "decision-not-allowed", "Decision not allowed", message);
        }
    }

    /** The candidate is not in a state that allows this decision (already confirmed, not provisional, ...). */
    public static class DecisionConflict extends RuleViolation {
        public DecisionConflict(String message) {
            super(409, "decision-conflict", "Decision not possible now", message);
        }
    }
}
