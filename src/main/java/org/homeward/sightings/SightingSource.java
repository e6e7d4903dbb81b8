package org.homeward.sightings;

/** Where a sighting came from. Lower case: the stored values. */
public enum SightingSource {
    tip("Tip from the public"),
    agency("Agency (police, shelter, social services)"),
    online("Online image"),
    other("Other");

    private final String label;

    SightingSource(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
