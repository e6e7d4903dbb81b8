package org.homeward.photos.store;

import java.net.URI;
import java.util.Optional;

/** How to reach the bucket of an S3 store; see {@code homeward.photos.s3.*} in docs/deployment.md. */
public interface S3Settings {

    /** An S3-compatible service's address (MinIO, Ceph, s3proxy); absent for AWS itself. */
    Optional<URI> endpoint();

    String bucket();

    String region();

    /** Absent: the SDK's default credentials chain (environment, profile, the pod's or instance's role). */
    Optional<String> accessKey();

    Optional<String> secretKey();

    /** Path-style addressing (http://host/bucket/key), which every S3-compatible service accepts. */
    boolean pathStyle();
}
