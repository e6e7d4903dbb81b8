package org.homeward.cases;

/**
 * Fired in the transaction that changes which faces of a case are searched or how old the child is on them: a
 * photo's date or age corrected, a photo removed, another face marked as the child. Projections re-plan on it.
 */
public record CaseFacesChanged(long caseId) {
}
