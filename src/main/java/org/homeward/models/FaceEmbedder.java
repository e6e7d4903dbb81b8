package org.homeward.models;

import java.awt.image.BufferedImage;
import java.util.List;

/** Turns aligned faces into embedding vectors: one model, one dimension, one alignment of its own. */
public interface FaceEmbedder {

    /** The model package name, stored beside every vector so that models never mix in a search. */
    String modelId();

    int dimension();

    /** The face cut out and aligned the way this model was trained: [3 x size x size] RGB, raw 0..255. */
    float[] chip(BufferedImage rgb, Landmarks landmarks);

    /** One vector per chip, in order; batched on the model. */
    List<float[]> embed(List<float[]> chips);
}
