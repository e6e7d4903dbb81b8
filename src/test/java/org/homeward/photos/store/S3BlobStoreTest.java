package org.homeward.photos.store;

import org.homeward.testing.LocalS3;

/**
 * The contract against a real S3 server: the s3proxy that deploy/homeward test starts on a loopback port
 * (deploy/lib/s3.sh), a fresh bucket for each test.
 */
class S3BlobStoreTest extends BlobStoreContract {

    @Override
    BlobStore open() {
        S3BlobStore store = S3BlobStore.open(LocalS3.bucket("homeward-contract-" + System.nanoTime()));
        try {
            store.createBucketIfMissing();
        } catch (RuntimeException e) {
            store.close();
            throw new IllegalStateException("no S3 server on the local port: start it with deploy/lib/s3.sh start ("
                    + e.getMessage() + ")", e);
        }
        return store;
    }

    /**
     * One: the SDK's client on the JDK's HttpURLConnection buffers a request body whose length it is not told
     * (docs/reliability.md, "Memory"); bounded by the photo size limit.
     */
    @Override
    int copiesHeldWhileStoring() {
        return 1;
    }
}
