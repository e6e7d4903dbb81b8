package org.homeward.faces;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The quality gates a face must pass to be embedded and searched. */
@ConfigMapping(prefix = "homeward.faces.quality")
public interface QualityConfig {

    /** Smallest distance between the eye centres, in image pixels. */
    @WithDefault("18")
    double minInterOcular();

    /** Smallest variance of the Laplacian over the aligned chip: below it the face is too blurred to compare. */
    @WithDefault("8")
    double minSharpness();

    /**
     * Largest sideways turn, as the nose's offset from the eyes' midpoint over the inter-ocular distance. 0.6 since
     * transform v2 (fitted on the faces this limit lets through): it keeps turned faces the matcher handles as well
     * as frontal ones, and most tight crops (docs/accuracy.md, "Yaw limit 0.6").
     */
    @WithDefault("0.6")
    double maxYaw();
}
