package org.homeward.faces.pipeline;

import org.homeward.faces.FaceVectors;
import org.homeward.models.AgeEstimator;
import org.homeward.models.FaceBox;
import org.homeward.models.Landmarks;

/**
 * One face as the pipeline found it. {@code vectors} and {@code age} are null when the face failed a quality
 * gate: such faces are kept (so a person sees why) but never searched. {@code detection} says how it was found.
 */
public record FoundFace(FaceBox box, Landmarks landmarks, QualityGate.Verdict quality, FaceVectors vectors,
        AgeEstimator.AgeEstimate age, FaceDetection detection) {

    /** The embedder's raw vector (null for a refused face). */
    public float[] embedding() {
        return vectors == null ? null : vectors.raw();
    }

    /** The raw vector of the mirrored chip, when the pipeline ran the mirror pass (else null). */
    public float[] mirrored() {
        return vectors == null ? null : vectors.mirrored();
    }

    /** The vector searches compare, under {@link ModelBundle#searchModelId()} (null for a refused face). */
    public float[] searchVector() {
        return vectors == null ? null : vectors.search();
    }
}
