package org.homeward.photos.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Keys as objects of one S3 bucket (AWS, MinIO, Ceph, s3proxy...). A PUT is atomic and, once answered, durable
 * by the service's own guarantee, which is what the folder store's temp file and fsync give locally.
 */
public final class S3BlobStore implements BlobStore {

    private static final Logger LOG = Logger.getLogger(S3BlobStore.class);
    /** What marks an object as touched: a copy onto itself must change something besides the time. */
    private static final String TOUCHED = "homeward-touched";
    /** Attempts per request: one more than the JDK keeps idle connections to a server (see {@link #open}). */
    static final int MAX_ATTEMPTS = 6;

    private final S3Client s3;
    private final String bucket;
    private final String where;

    S3BlobStore(S3Client s3, String bucket, String where) {
        this.s3 = s3;
        this.bucket = bucket;
        this.where = where;
    }

    /**
     * A client for {@code bucket}: at {@code endpoint} when given (an S3-compatible service; path-style addressing,
     * which they all accept), else AWS's own for the region. Without keys, the SDK's default chain decides
     * (environment, profile, the instance's or pod's role).
     */
    public static S3BlobStore open(S3Settings settings) {
        AwsCredentialsProvider credentials = settings.accessKey().isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey().get(),
                        settings.secretKey().orElseThrow(() -> new IllegalArgumentException(
                                "homeward.photos.s3.secret-key is required with an access key"))))
                : DefaultCredentialsProvider.builder().build();
        var builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10)).socketTimeout(Duration.ofSeconds(60)))
                // The JDK's HttpURLConnection reuses kept-alive connections (up to 5 per server) that the server may
                // have closed meanwhile; a write on one fails ("Error writing request body to server") and drops it.
                // The SDK's 3 attempts could meet 3 such connections in a row (seen twice against the local s3proxy
                // under load); 6 reach a fresh one, with the standard backoff (about 3 s in all before giving up).
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(MAX_ATTEMPTS).build()))
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(settings.pathStyle());
        settings.endpoint().ifPresent(builder::endpointOverride);
        String where = "s3 " + settings.endpoint().map(URI::toString).orElse("aws:" + settings.region())
                + " bucket " + settings.bucket();
        return new S3BlobStore(builder.build(), settings.bucket(), where);
    }

    /** Creates the bucket when it does not exist (the embedded set-up; production buckets are made by operators). */
    public void createBucketIfMissing() {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw failure("could not reach the bucket", e);
            }
            s3.createBucket(b -> b.bucket(bucket));
            LOG.infof("created the bucket %s", where);
        } catch (SdkException e) {
            throw failure("could not reach the bucket", e);
        }
    }

    @Override
    public Optional<Instant> lastModified(String key) {
        return Optional.ofNullable(head(key)).map(HeadObjectResponse::lastModified);
    }

    @Override
    public void put(String key, byte[] bytes) {
        try {
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
        } catch (SdkException e) {
            throw failure("could not write " + key, e);
        }
    }

    @Override
    public void put(String key, Path file) {
        try {
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(file));
        } catch (SdkException e) {
            throw failure("could not write " + key, e);
        }
    }

    @Override
    public byte[] get(String key) {
        try {
            return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        } catch (NoSuchKeyException e) {
            throw failure(key + " is missing", e);
        } catch (SdkException e) {
            throw failure("could not read " + key, e);
        }
    }

    @Override
    public void delete(String key) {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            LOG.warnf("could not delete %s from %s: %s", key, where, e.getMessage());
        }
    }

    @Override
    public void touch(String key) {
        try {
            // S3 has no "set the time": a copy onto itself with new metadata is a new write of the same bytes.
            s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(key).destinationBucket(bucket).destinationKey(key)
                    .metadataDirective(MetadataDirective.REPLACE)
                    .metadata(Map.of(TOUCHED, Instant.now().toString())));
        } catch (SdkException e) {
            LOG.warnf("could not touch %s in %s: %s", key, where, e.getMessage());
        }
    }

    @Override
    public void list(String prefix, Consumer<Entry> visit) {
        try {
            for (var page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))) {
                for (S3Object object : page.contents()) {
                    visit.accept(new Entry(object.key(), object.lastModified()));
                }
            }
        } catch (SdkException e) {
            throw failure("could not list " + prefix, e);
        }
    }

    @Override
    public int removeUnfinishedWrites(Duration minAge) {
        // Single PUTs leave nothing behind; multipart uploads that were never completed would (and cost storage).
        Instant before = Instant.now().minus(minAge);
        int removed = 0;
        try {
            ListMultipartUploadsResponse uploads = s3.listMultipartUploads(b -> b.bucket(bucket));
            for (MultipartUpload upload : uploads.uploads()) {
                if (upload.initiated() != null && upload.initiated().isBefore(before)) {
                    s3.abortMultipartUpload(b -> b.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
                    removed++;
                }
            }
        } catch (S3Exception e) {
            if (e.statusCode() != 501) { // a service that has no multipart listing has nothing to abort either
                LOG.warnf("could not list unfinished uploads in %s: %s", where, e.getMessage());
            }
        } catch (SdkException e) {
            LOG.warnf("could not list unfinished uploads in %s: %s", where, e.getMessage());
        }
        return removed;
    }

    /** The object's metadata, or null when there is none under {@code key}. */
    HeadObjectResponse head(String key) {
        try {
            return s3.headObject(b -> b.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            return null;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw failure("could not read " + key, e);
        } catch (SdkException e) {
            throw failure("could not read " + key, e);
        }
    }

    @Override
    public String describe() {
        return where;
    }

    @Override
    public void close() {
        s3.close();
    }

    private UncheckedIOException failure(String what, Exception cause) {
        return new UncheckedIOException(what + " (" + where + "): " + cause.getMessage(), new IOException(cause));
    }
}
