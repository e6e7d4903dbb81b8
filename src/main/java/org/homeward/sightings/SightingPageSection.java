package org.homeward.sightings;

import java.util.Map;

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

    /**
     * What the section adds to one view of the page: its HTML by place (a place it leaves out gets nothing), and
     * the badge of each candidate whose row shows it instead of the candidate's own review state.
     */
    record Part(Map<Place, String> html, Map<Long, Badge> badges) {
        public static final Part NONE = new Part(Map.of(), Map.of());
    }

    /** The section for a viewer who may see the sighting, read once per page view. */
    Part render(long sightingId);
}
