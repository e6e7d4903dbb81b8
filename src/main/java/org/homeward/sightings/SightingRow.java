package org.homeward.sightings;

import java.time.LocalDate;
import org.homeward.cases.CaseSummary;

/** A sighting as the list shows it: its facts, the first face searched, how many candidates, the linked case if visible. */
public record SightingRow(long id, String reference, LocalDate seenOn, String place, SightingSource source,
        SearchState searchState, Long faceId, int candidateCount, CaseSummary linkedCase) {

    public String sourceLabel() {
        return source.label();
    }
}
