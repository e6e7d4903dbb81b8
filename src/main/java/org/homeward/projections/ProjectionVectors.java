package org.homeward.projections;

import java.util.ArrayList;
import java.util.List;
import org.homeward.faces.pipeline.FacePipeline;
import org.homeward.models.EmbeddingTransform;
import org.homeward.models.FaceEmbedder;
import org.homeward.projections.ageing.AgeProjector;

/**
 * Embeds projections the way their source faces were embedded: the embedder's own chip, cut from the
 * projection at its moved landmarks, and the same chip mirrored (what a flip-averaged transform reads), all
 * in one batch. Then {@link #searchable} turns them into the vector stored under a model id.
 */
public final class ProjectionVectors {

    /** A projection's raw embedding and its mirrored chip's. */
    public record Vectors(float[] raw, float[] mirrored) {
    }

    private ProjectionVectors() {
    }

    public static List<Vectors> embed(FaceEmbedder embedder, List<AgeProjector.Rendered> rendered) {
        List<float[]> chips = new ArrayList<>(2 * rendered.size());
        for (AgeProjector.Rendered r : rendered) {
            float[] chip = embedder.chip(r.image(), r.landmarks());
            chips.add(chip);
            chips.add(FacePipeline.mirrored(chip));
        }
        List<float[]> vectors = embedder.embed(chips);
        List<Vectors> out = new ArrayList<>(rendered.size());
        for (int i = 0; i < rendered.size(); i++) {
            out.add(new Vectors(vectors.get(2 * i), vectors.get(2 * i + 1)));
        }
        return out;
    }

    /**
     * The vector to store or compare under a model id: the raw embedding when {@code transform} is null, else
     * the transform of the raw (or flip-averaged, as the transform asks) embedding.
     */
    public static float[] searchable(Vectors v, EmbeddingTransform transform) {
        if (transform == null) {
            return v.raw();
        }
        return transform.applyToFace(v.raw(), v.mirrored());
    }
}
