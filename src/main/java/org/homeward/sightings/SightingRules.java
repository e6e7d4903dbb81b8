package org.homeward.sightings;

import java.util.Map;
import org.homeward.web.InvalidInput;
import org.homeward.web.NotVisible;
import org.homeward.web.RuleViolation;

/** The rules a sighting request can break, each a problem with its own status and a message a person can act on. */
public final class SightingRules {

    private SightingRules() {
    }

    /** No such sighting, or one the caller may not see: the same answer, so ids leak nothing. */
    public static class SightingNotFound extends NotVisible {
        public SightingNotFound(Object id) {
            super("sighting-not-found", "Sighting not found", "sighting", id);
        }
    }

    /** The sighting has errors; each is named for its field. Nothing was stored. */
    public static class SightingInvalid extends InvalidInput {
        public SightingInvalid(Map<String, String> errors) {
            super("sighting-invalid", "Sighting not valid",
                    "The sighting was not saved: " + String.join(" ", errors.values()), errors);
        }
    }

    /** Sightings belong to a unit; a person without one cannot own one. */
    public static class NoUnit extends RuleViolation {
        public NoUnit() {
            super(403, "no-unit", "No unit",
                    "Your account belongs to no unit, so it cannot record a sighting. Ask an administrator.");
        }
    }
}
