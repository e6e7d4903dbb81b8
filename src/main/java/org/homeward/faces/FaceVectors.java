package org.homeward.faces;

/**
 * A face's vectors. {@code raw}: the embedder's own vector, stored under the embedder's id (the age estimator
 * reads it). {@code mirrored}: the embedder's vector of the same chip mirrored left to right, when the pass
 * was asked for (else null). {@code search}: what searches compare, stored under
 * {@link ModelBundle#searchModelId()} (the raw vector itself when no transform is in use).
 */
public record FaceVectors(float[] raw, float[] mirrored, float[] search) {
}
