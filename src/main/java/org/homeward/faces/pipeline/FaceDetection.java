package org.homeward.faces.pipeline;

/** How a face was found: stored with it and shown beside it, so a person knows how much to trust the box. */
public enum FaceDetection {
    /** The detector found it on the photo as uploaded. */
    detector("found by the detector"),
    /** The detector found it once the photo was padded and enlarged: the photo is a tight crop of a face. */
    padded("found on the photo padded and enlarged (a tight crop of a face)"),
    /** A person drew its box where the detector found no face; Homeward placed the landmarks in it. */
    drawn("drawn by a person where the detector found no face");

    private final String description;

    FaceDetection(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
