package org.homeward.photos;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

/** Where photos are stored and how large an upload may be. */
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
}
