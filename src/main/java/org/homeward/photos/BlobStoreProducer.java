package org.homeward.photos;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.homeward.photos.store.BlobStore;
import org.homeward.photos.store.EncryptingBlobStore;
import org.homeward.photos.store.FolderBlobStore;
import org.homeward.photos.store.PhotoKeys;
import org.homeward.photos.store.S3BlobStore;
import org.jboss.logging.Logger;

/** Opens the store that {@code homeward.photos.store} names, once per process. */
@ApplicationScoped
public class BlobStoreProducer {

    private static final Logger LOG = Logger.getLogger(BlobStoreProducer.class);

    @ConfigProperty(name = "homeward.mode", defaultValue = "demo")
    String mode;

    @Produces
    @ApplicationScoped
    BlobStore open(PhotoConfig config) {
        BlobStore store = switch (config.store()) {
            case folder -> new FolderBlobStore(config.storage());
            case s3 -> {
                S3BlobStore s3 = S3BlobStore.open(config.s3());
                if (config.s3().createBucket()) {
                    s3.createBucketIfMissing();
                }
                yield s3;
            }
        };
        if (config.encryption().enabled()) {
            store = new EncryptingBlobStore(store, keys(config.encryption().keyFile()));
        } else {
            LOG.warn("photo store: encryption at rest is OFF (homeward.photos.encryption.enabled=false)");
        }
        LOG.infof("photo store: %s", store.describe());
        return store;
    }

    /**
     * The key file, created with a fresh key in the demo when it is missing; in production a missing key file stops
     * the start, since a replica that made its own key could not read what the others wrote.
     */
    private PhotoKeys keys(Path file) {
        if (Files.exists(file)) {
            return PhotoKeys.read(file);
        }
        if (!"demo".equals(mode)) {
            throw new IllegalStateException("the photo store's key file " + file + " does not exist: create it once"
                    + " (deploy/homeward store new-key-file) and give every replica the same file (docs/security.md)");
        }
        LOG.infof("photo store: created the key file %s (demo mode); keep a copy apart from the backups", file);
        return PhotoKeys.create(file);
    }

    /** Opens the store at start, so a missing key file or an unreachable bucket stops the start, not the first upload. */
    void openAtStart(@Observes StartupEvent start, BlobStore store) {
        store.describe();
    }

    void close(@Disposes BlobStore store) {
        store.close();
    }
}
