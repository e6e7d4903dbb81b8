package org.homeward.photos;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import org.homeward.photos.store.S3Settings;

/** Where photos are stored, how large an upload may be, and what the sweep removes from the store. */
@ConfigMapping(prefix = "homeward.photos")
public interface PhotoConfig {

    /** Where the bytes of photos and projections live: this machine's folder {@link #storage()}, or a bucket. */
    @WithDefault("folder")
    StoreKind store();

    enum StoreKind { folder, s3 }

    /** Root of the content-addressed photo store when {@link #store()} is {@code folder}. */
    @WithDefault("/var/lib/homeward/photos")
    Path storage();

    /** Encryption at rest of everything in the store (docs/security.md). */
    Encryption encryption();

    interface Encryption {
        /** Off only for a store that is encrypted below Homeward; production mode refuses it off. */
        @WithDefault("true")
        boolean enabled();

        /** The key file ({@link org.homeward.photos.store.PhotoKeys}); the demo creates it when missing. */
        @WithDefault("/var/lib/homeward/keys/photo-store.keys")
        Path keyFile();
    }

    /** The bucket when {@link #store()} is {@code s3}. */
    S3 s3();

    interface S3 extends S3Settings {
        @Override
        @WithDefault("homeward-photos")
        String bucket();

        @Override
        @WithDefault("us-east-1")
        String region();

        @Override
        @WithDefault("true")
        boolean pathStyle();

        /** Create the bucket at start when it is missing (the embedded set-up); operators' buckets exist already. */
        @WithDefault("true")
        boolean createBucket();
    }

    /** Largest upload accepted, in bytes. */
    @WithDefault("20000000")
    long maxBytes();

    /**
     * Where uploads are written as they arrive, before they are checked and stored: a local folder (each process
     * its own), cleared of files older than {@link #tempMaxAge()} by the photo sweep.
     */
    @WithDefault("${java.io.tmpdir}/homeward-received")
    Path receivedFolder();

    /** Largest image accepted, in pixels (width x height): guards against decompression bombs. */
    @WithDefault("50000000")
    long maxPixels();

    /**
     * Photos up to this many pixels are decoded whole for analysis; a larger one is searched for faces on an overview
     * of this size and each face is read from its own region ({@link PhotoPixels}), so no process holds more than
     * about four bytes per pixel of this (64 MB at the default) for any photo.
     */
    @WithDefault("16000000")
    long wholeDecodePixels();

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
