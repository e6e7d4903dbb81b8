package org.homeward.faces.drawn;

import java.time.Instant;

/** A drawn box as the API shows it: where, who drew it, and whether the worker has indexed it yet. */
public record DrawnFaceView(long id, long photoId, int x, int y, int width, int height, String drawnBy,
        Instant drawnAt, String state, Long faceId, String failureReason) {

    static DrawnFaceView of(DrawnFace d) {
        String state = d.faceId != null ? "indexed" : d.failureReason != null ? "failed" : "waiting";
        return new DrawnFaceView(d.id, d.photoId, d.box.x(), d.box.y(), d.box.width(), d.box.height(), d.drawnBy, d.drawnAt, state,
                d.faceId, d.failureReason);
    }
}
