package org.homeward.cases;

/**
 * A part of a case's page that a feature built on cases draws with its own template and data: the confirmed
 * match and the sightings listing the case (review), the aged-up projections (projections). The case page
 * places each where it says, so cases needs to know none of them, and no template reaches across features.
 */
public interface CasePageSection {

    /** Where on the case page a section goes. */
    enum Place {
        /** Above the case's facts: what the viewer must see first. */
        TOP,
        /** After the childhood photos, before the timeline. */
        AFTER_PHOTOS
    }

    /** Where a section goes: its place, and its order among the sections of that place (smallest first). */
    record Position(Place place, int order) {
    }

    Position position();

    /** The section's HTML for a viewer who may see the case; empty when it has nothing to show. */
    String render(CaseDetail caseFile);
}
