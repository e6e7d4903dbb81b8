package org.homeward.retention;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * How long children's biometric data is kept once it serves no search: the photos (with their faces, vectors and
 * projections) of a case closed or found, and of a sighting that led nowhere. Set them to what the deployment's
 * legal basis allows (docs/security.md, "What is kept, and for how long").
 */
@ConfigMapping(prefix = "homeward.retention")
public interface RetentionConfig {

    /** Whether processes that run jobs apply the rules daily. */
    @WithDefault("true")
    boolean enabled();

    @WithDefault("PT24H")
    Duration interval();

    /** After a case is closed or found: its photos, faces, vectors and projections go; the case record stays. */
    @WithDefault("P365D")
    Duration closedCase();

    /** After a sighting was recorded, when none of its candidates was referred or judged a possible or confirmed match. */
    @WithDefault("P365D")
    Duration sightingWithoutMatch();
}
