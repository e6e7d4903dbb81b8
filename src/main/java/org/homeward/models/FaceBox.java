package org.homeward.models;

/** A detected face: an axis-aligned box in image pixels (inclusive corners, as dlib gives them) and its score. */
public record FaceBox(int left, int top, int right, int bottom, float score) {

    public int width() {
        return right - left + 1;
    }

    public int height() {
        return bottom - top + 1;
    }
}
