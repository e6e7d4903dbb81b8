package org.homeward.faces.index;

import java.util.List;

/**
 * How far the search index is: of the usable faces ({@code faces}), how many have a vector under the search
 * model ({@code indexed}) and how many do not yet ({@code pending}: searches cannot find them). The worker's
 * re-indexing jobs waiting or running ({@code queuedPhotos}) and given up on ({@code failedPhotos}, with the
 * latest reasons). {@code note} says why no transform is in use, when none is; {@code hnswIndex} names the
 * model's HNSW index (null: searches under this model scan every vector). {@code selfTest} is this process's
 * model self-test (state and one line per package; empty where no model runs), {@code reanalysisPending} the
 * photos analysed by a runtime that has not passed it and waiting to be analysed again, {@code keptForReview}
 * such photos left as they are because a person reviewed their candidates.
 */
public record IndexStatus(String model, String note, long faces, long indexed, long pending, long queuedPhotos,
        long failedPhotos, List<Failure> failures, String hnswIndex, SelfTest selfTest, long reanalysisPending,
        long keptForReview) {

    /** The models' self-test as this process ran it. */
    public record SelfTest(String state, String runtime, List<String> verdicts) {

        public boolean failed() {
            return "FAILED".equals(state);
        }
    }

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
