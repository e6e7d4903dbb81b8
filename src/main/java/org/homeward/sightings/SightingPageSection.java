package org.homeward.sightings;

import java.util.Optional;

/**
 * A part of a sighting's page that a feature built on sightings draws with its own template and data: where the
 * sighting's candidates on other units' cases stand (referrals). The sighting page places each where it says, so
 * sightings needs to know none of them, and no template reaches across features.
 */
public interface SightingPageSection {

    /** Where on the sighting's page a section goes. */
    enum Place {
        /** Inside the sighting's card, under its facts: what the viewer must see first. */
        SUMMARY,
        /** After the sighting's card, before its photos and their candidates. */
        AFTER_SUMMARY
    }

    /** How a candidate's row shows its state when another feature carries its review on. */
    record Badge(String cssClass, String label, String title) {
    }

    /** The section's HTML at {@code place} for a viewer who may see the sighting; empty when it has nothing there. */
    String render(Place place, long sightingId);

    /** The badge for a candidate's row instead of its own review state; empty when this section has none for it. */
    default Optional<Badge> badge(long candidateId) {
        return Optional.empty();
    }
}
