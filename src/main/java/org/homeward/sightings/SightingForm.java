package org.homeward.sightings;

import java.util.List;

/**
 * A new sighting as the API and the page send it: strings as typed, checked by {@link SightingService}.
 * {@code photoIds} are photos the person uploaded first (POST /api/photos), already analysed.
 */
public record SightingForm(String seenOn, String place, String source, String sex, String notes, List<Long> photoIds) {
}
