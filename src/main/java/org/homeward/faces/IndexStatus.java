package org.homeward.faces;

import java.util.List;

/**
 * How far the search index is: of the usable faces ({@code faces}), how many have a vector under the search
 * model ({@code indexed}) and how many do not yet ({@code pending}: searches cannot find them). The worker's
 * re-indexing jobs waiting or running ({@code queuedPhotos}) and given up on ({@code failedPhotos}, with the
 * latest reasons). {@code note} says why no transform is in use, when none is; {@code hnswIndex} names the
 * model's HNSW index (null: searches under this model scan every vector).
 */
public record IndexStatus(String model, String note, long faces, long indexed, long pending, long queuedPhotos,
        long failedPhotos, List<Failure> failures, String hnswIndex) {

    /** A photo the worker could not re-index, and why. */
    public record Failure(long photoId, String reason) {
    }

    public boolean complete() {
        return pending == 0;
    }

    /** Indexed faces in percent, rounded down (100 when there are no faces). */
    public long percent() {
        return faces == 0 ? 100 : indexed * 100 / faces;
    }
}
