package org.homeward.cases;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.homeward.web.InvalidInput;
import org.homeward.web.NotVisible;
import org.homeward.web.RuleViolation;

/** The rules a case request can break, each a problem with its own status and a message a person can act on. */
public final class CaseRules {

    private CaseRules() {
    }

    /** No such case, or one the caller may not see: the same answer, so ids leak nothing. */
    public static class CaseNotFound extends NotVisible {
        public CaseNotFound(Object id) {
            super("case-not-found", "Case not found", "case", id);
        }
    }

    /** The form has errors; each is named for its field. */
    public static class CaseInvalid extends InvalidInput {
        public CaseInvalid(Map<String, String> errors) {
            super("case-invalid", "Case not valid",
                    "The case has " + errors.size() + " error(s): " + String.join(" ", errors.values()), errors);
        }
    }

    /** A case list filter out of range (an age no calendar can hold): refused, naming the parameter. */
    public static class CaseFilterInvalid extends RuleViolation {
        private final Map<String, String> errors;

        public CaseFilterInvalid(Map<String, String> errors) {
            super(400, "invalid-filter", "Invalid filter", String.join(" ", errors.values()));
            this.errors = Collections.unmodifiableMap(new LinkedHashMap<>(errors));
        }

        @Override
        public Map<String, String> fieldErrors() {
            return errors;
        }
    }

    /** Someone else saved the case after this person opened it: nobody's change is silently lost. */
    public static class CaseEditConflict extends RuleViolation {
        public CaseEditConflict(String reference, String changedBy, Instant changedAt) {
            super(409, "edit-conflict", "Edit conflict",
                    "Case " + reference + " was changed by " + changedBy + " at " + changedAt
                    + " after you opened it. Reload it and apply your changes again.");
        }
    }

    /** The caller's role does not allow this action on this case. */
    public static class ActionNotAllowed extends RuleViolation {
        public ActionNotAllowed(String message) {
            super(403, "not-allowed", "Not allowed", message);
        }
    }
}
