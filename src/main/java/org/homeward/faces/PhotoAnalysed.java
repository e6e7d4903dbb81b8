package org.homeward.faces;

/**
 * Fired, inside the transaction that saves the result, when the worker has finished with a photo: its faces
 * are stored and embedded, or it failed for good; and again when re-indexing ({@link IndexRebuildJob}) gave its
 * faces their vectors under a new search model. Sightings and cases observe it to start their searches.
 */
public record PhotoAnalysed(long photoId, int usableFaces, boolean failed) {
}
