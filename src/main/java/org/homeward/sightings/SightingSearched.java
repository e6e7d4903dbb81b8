package org.homeward.sightings;

/**
 * Fired, inside the search's transaction, when a sighting's candidates were (re)computed, so that features that
 * act on new candidates (referrals to other units) need not be known to the search.
 */
public record SightingSearched(long sightingId) {
}
