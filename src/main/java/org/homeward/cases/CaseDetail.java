package org.homeward.cases;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Collectors;
import org.homeward.faces.FaceView;
import org.homeward.photos.PhotoState;

/** Everything a person with access sees of one case. */
public record CaseDetail(long id, String reference, String childName, List<String> aliases, Sex sex,
        LocalDate birthDate, LocalDate birthDateEarliest, LocalDate birthDateLatest, LocalDate lastSeenDate,
        String lastSeenPlace, String circumstances, String distinguishingMarks, CaseStatus status,
        String statusReason, String statusChangedBy, Instant statusChangedAt, String unit, String createdBy,
        Instant createdAt, String updatedBy, Instant updatedAt, long version, Double ageNow,
        List<String> assignees, List<Note> notes, List<Photo> photos) {

    public record Note(Instant writtenAt, String author, String body) {
    }

    /**
     * A childhood photo: its processing state, its faces, which one a person marked as the child, the face searched
     * for it ({@link SearchedFaces}: the marked one, or the only usable one; null when a person must choose), and the
     * child's age in it; or a relative's adult photo ({@code shows}), whose face steers the projections and is never
     * searched ({@code searchedFaceId} null).
     */
    public record Photo(long photoId, int width, int height, PhotoState state, String failureReason,
            LocalDate takenOn, Double ageAtPhoto, PhotoSubject shows, Long childFaceId, Long searchedFaceId,
            List<FaceView> faces) {

        public boolean done() {
            return state == PhotoState.done;
        }

        /** Analysed, yet not one face on it can be searched: the pages say why and ask for the face to be drawn. */
        public boolean noUsableFace() {
            return state == PhotoState.done && faces.stream().noneMatch(FaceView::usable);
        }

        /** Why no face of the photo can be searched, in words. */
        public String noFaceReason() {
            if (faces.isEmpty()) {
                return "The detector found no face on it.";
            }
            return faces.stream().map(f -> "Face " + (f.index() + 1) + ": " + f.qualityReason() + ".")
                    .collect(Collectors.joining(" "));
        }

        /** Whether face {@code faceId} is the relative's on a relative's photo: the marked face, or the only usable one. */
        public boolean relativeFace(long faceId) {
            if (!shows.relative()) {
                return false;
            }
            if (childFaceId != null) {
                return childFaceId == faceId;
            }
            List<FaceView> usable = faces.stream().filter(FaceView::usable).toList();
            return usable.size() == 1 && usable.get(0).id() == faceId;
        }

        /** What a usable face of the photo is for, in words. */
        public String usableFaceWords() {
            return shows.relative() ? "steers the projections, never searched" : "can be searched";
        }

        public boolean needsChoice() {
            return childFaceId == null && faces.stream().filter(FaceView::usable).count() > 1;
        }
    }
}
