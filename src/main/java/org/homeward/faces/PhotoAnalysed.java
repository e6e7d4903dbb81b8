package org.homeward.faces;

/**
 * Fired, inside the transaction that saves the result, when the worker has finished with a photo: its faces
 * are stored and embedded, or it failed for good. Sightings and cases observe it to start their searches.
 */
public record PhotoAnalysed(long photoId, int usableFaces, boolean failed) {
}
