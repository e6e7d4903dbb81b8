package org.homeward.photos;

import java.time.Instant;

/** A photo as the API shows it: what it is, who brought it, and how far processing has come. */
public record PhotoView(long id, String sha256, String contentType, long byteSize, int width, int height,
        String uploadedBy, Instant uploadedAt, PhotoState state, String failureReason, long faceCount) {

    PhotoView withoutUploader() {
        return withUploader(null, null);
    }

    PhotoView withUploader(String by, Instant at) {
        return new PhotoView(id, sha256, contentType, byteSize, width, height, by, at, state, failureReason, faceCount);
    }

    static PhotoView of(Photo p, long faceCount) {
        return new PhotoView(p.id, p.sha256, p.contentType, p.byteSize, p.width, p.height, p.uploadedBy,
                p.uploadedAt, p.state, p.failureReason, faceCount);
    }
}
