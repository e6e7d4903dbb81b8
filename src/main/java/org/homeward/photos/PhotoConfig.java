package org.homeward.photos;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

/** Where photos are stored, how large an upload may be, and what the sweep removes from the store. */
@ConfigMapping(prefix = "homeward.photos")
public interface PhotoConfig {

    /** Root of the content-addressed photo store. */
    @WithDefault("/var/lib/homeward/photos")
    Path storage();

    /** Largest upload accepted, in bytes. */
    @WithDefault("20000000")
    long maxBytes();

    /** Largest image accepted, in pixels (width x height): guards against decompression bombs. */
    @WithDefault("50000000")
    long maxPixels();

    /** Whether processes that run jobs sweep the store ({@link PhotoSweep}). */
    @WithDefault("true")
    boolean sweepEnabled();

    /** How often the sweep runs. */
    @WithDefault("PT1H")
    Duration sweepInterval();

    /**
     * Age after which a temporary file of an unfinished write, or a stored file no photo row names, is removed:
     * longer than any upload takes between writing its file and committing its row.
     */
    @WithDefault("PT1H")
    Duration tempMaxAge();

    /** How long a photo attached to no case and no sighting is kept after its last upload. */
    @WithDefault("P7D")
    Duration unattachedRetention();
}
