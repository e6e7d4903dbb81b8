package org.homeward.sightings;

import java.util.LinkedHashMap;
import java.util.Map;
import org.homeward.web.RuleViolation;

/** The rules a sighting request can break, each a problem with its own status and a message a person can act on. */
public final class SightingRules {

    private SightingRules() {
    }

    /** No such sighting, or one the caller may not see: the same answer, so ids leak nothing. */
    public static class SightingNotFound extends RuleViolation {
        public SightingNotFound(Object id) {
            super(404, "sighting-not-found", "There is no sighting " + id + " that you may see.");
        }

        @Override
        public String title() {
            return "Sighting not found";
        }
    }

    /** The sighting has errors; each is named for its field. Nothing was stored. */
    public static class SightingInvalid extends RuleViolation {
        private final Map<String, String> errors;

        public SightingInvalid(Map<String, String> errors) {
            super(422, "sighting-invalid",
                    "The sighting was not saved: " + String.join(" ", errors.values()));
            this.errors = new LinkedHashMap<>(errors);
        }

        @Override
        public String title() {
            return "Sighting not valid";
        }

        @Override
        public Map<String, String> fieldErrors() {
            return errors;
        }
    }

    /** Sightings belong to a unit; a person without one cannot own one. */
    public static class NoUnit extends RuleViolation {
        public NoUnit() {
            super(403, "no-unit", "Your account belongs to no unit, so it cannot record a sighting. Ask an administrator.");
        }

        @Override
        public String title() {
            return "No unit";
        }
    }
}
