package org.homeward.faces;

/**
 * One face as the pipeline found it. {@code embedding} and {@code age} are null when the face failed
 * a quality gate: such faces are kept (so a person sees why) but never searched.
 */
public record FoundFace(FaceBox box, Landmarks landmarks, QualityGate.Verdict quality, float[] embedding,
        AgeEstimator.AgeEstimate age) {
}
