package org.homeward.testing;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.homeward.photos.store.S3Settings;

/** The S3 server that deploy/homeward test starts on a loopback port (deploy/lib/s3.sh), as common.sh sets it. */
public final class LocalS3 {

    public static final String ENDPOINT = "http://127.0.0.1:" + env("HOMEWARD_S3_PORT", "55490");
    public static final String ACCESS_KEY = env("HOMEWARD_S3_ACCESS_KEY", "homeward");
    public static final String SECRET_KEY = env("HOMEWARD_S3_SECRET_KEY", "homeward-s3-demo");

    private LocalS3() {
    }

    private static String env(String name, String otherwise) {
        return System.getenv().getOrDefault(name, otherwise);
    }

    public static S3Settings bucket(String bucket) {
        return new S3Settings() {
            public Optional<URI> endpoint() { return Optional.of(URI.create(ENDPOINT)); }
            public String bucket() { return bucket; }
            public String region() { return "us-east-1"; }
            public Optional<String> accessKey() { return Optional.of(ACCESS_KEY); }
            public Optional<String> secretKey() { return Optional.of(SECRET_KEY); }
            public boolean pathStyle() { return true; }
        };
    }

    /** The app's settings for a photo store in {@code bucket} of this server. */
    public static Map<String, String> appConfig(String bucket) {
        return Map.of("homeward.photos.store", "s3", "homeward.photos.s3.endpoint", ENDPOINT,
                "homeward.photos.s3.bucket", bucket, "homeward.photos.s3.access-key", ACCESS_KEY,
                "homeward.photos.s3.secret-key", SECRET_KEY);
    }
}
