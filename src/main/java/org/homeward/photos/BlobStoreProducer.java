package org.homeward.photos;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import org.homeward.photos.store.BlobStore;
import org.homeward.photos.store.FolderBlobStore;
import org.homeward.photos.store.S3BlobStore;
import org.jboss.logging.Logger;

/** Opens the store that {@code homeward.photos.store} names, once per process. */
@ApplicationScoped
public class BlobStoreProducer {

    private static final Logger LOG = Logger.getLogger(BlobStoreProducer.class);

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
        LOG.infof("photo store: %s", store.describe());
        return store;
    }

    void close(@Disposes BlobStore store) {
        store.close();
    }
}
