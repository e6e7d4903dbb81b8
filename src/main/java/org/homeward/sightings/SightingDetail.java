package org.homeward.sightings;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.homeward.cases.CaseSummary;
import org.homeward.cases.Sex;
import org.homeward.faces.FaceView;
import org.homeward.matching.CandidateView;

/** Everything a person of the owning unit sees of one sighting: the facts, its photos and faces, and the ranked candidates. */
public record SightingDetail(long id, String reference, String unit, LocalDate seenOn, String place,
        SightingSource source, Sex sex, String notes, String createdBy, Instant createdAt, SearchState searchState,
        String searchError, Instant searchedAt, int excludedCases, CaseSummary linkedCase, List<Photo> photos,
        List<CandidateView> candidates) {

    /** A photo of the sighting with the faces found on it. */
    public record Photo(long photoId, int width, int height, List<FaceView> faces) {
        public boolean hasUsableFace() {
            return faces.stream().anyMatch(FaceView::usable);
        }
    }

    public boolean searching() {
        return searchState == SearchState.waiting || searchState == SearchState.searching;
    }

    /** The candidates found for one face, best evidence first. */
    public List<CandidateView> candidatesFor(long faceId) {
        return candidates.stream().filter(c -> c.sightingFaceId() == faceId).toList();
    }

    public List<FaceView> searchedFaces() {
        return photos.stream().flatMap(p -> p.faces().stream()).filter(FaceView::usable).toList();
    }

    public String searchStateLabel() {
        return switch (searchState) {
            case waiting, searching -> "searching…";
            case ready -> "search done";
            case no_face -> "no usable face";
            case failed -> "search failed";
        };
    }

    public String sourceLabel() {
        return source.label();
    }
}
