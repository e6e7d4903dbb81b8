package org.homeward.sightings;

/** Where a sighting's search over open cases stands. Lower case: the stored values. */
public enum SearchState {
    /** Queued behind other searches. */
    waiting,
    searching,
    /** The ranked candidates are stored. */
    ready,
    /** None of the photos has a face good enough to search with. */
    no_face,
    /** The search failed for good; {@code search_error} says why. */
    failed
}
