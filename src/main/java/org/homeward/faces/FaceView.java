package org.homeward.faces;

import java.util.List;
import org.homeward.faces.pipeline.FaceDetection;

/** A face as the API shows it: where it is on the photo, whether it can be searched, and its estimated age. */
public record FaceView(long id, int index, int x, int y, int width, int height, float detectionScore,
        float[] landmarks, boolean usable, String qualityReason, Float estimatedAge, Float ageUncertainty,
        String detection, String detectionNote) {

    public static FaceView of(Face f) {
        return new FaceView(f.id, f.faceIndex, f.box.x(), f.box.y(), f.box.width(), f.box.height(), f.detectionScore,
                f.landmarks, f.usable, f.qualityReason, f.estimatedAge, f.ageUncertainty, f.detection.name(),
                f.detection == FaceDetection.detector ? null : f.detection.description());
    }

    /** The faces found on a photo, in detection order: the one query every page and the API show them by. */
    public static List<FaceView> ofPhoto(long photoId) {
        return Face.<Face>list("photo.id = ?1 order by faceIndex", photoId).stream().map(FaceView::of).toList();
    }
}
