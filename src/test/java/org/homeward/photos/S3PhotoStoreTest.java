package org.homeward.photos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.homeward.photos.store.S3BlobStore;
import org.homeward.testing.Api;
import org.homeward.testing.DemoUsers;
import org.homeward.testing.LocalS3;
import org.homeward.testing.TestImages;
import org.junit.jupiter.api.Test;

/**
 * The app with its photo store in a bucket of a real S3 server (s3proxy on a loopback port): what a web replica
 * and a worker on another machine share. A photo goes in through the API, the worker reads it back from the
 * bucket and finds its face, the page serves it, and deleting its case deletes its object.
 */
@QuarkusTest
@TestProfile(S3PhotoStoreTest.InABucket.class)
class S3PhotoStoreTest {

    static final String BUCKET = "homeward-app-" + System.nanoTime();

    public static class InABucket implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return LocalS3.appConfig(BUCKET);
        }
    }

    @Test
    void aPhotoLivesInTheBucketFromUploadToDeletion() {
        byte[] portrait = TestImages.debianPortrait(TestImages.GRACE_HOPPER).orElse(null);
        assumeTrue(portrait != null, "SKIPPED: " + TestImages.GRACE_HOPPER + " absent (Debian package python-matplotlib-data)");
        byte[] photo = TestImages.unique(portrait, System.nanoTime());
        String sha = PhotoStore.sha256(photo);
        String key = PhotoStore.keyOf(sha);
        String user = DemoUsers.INVESTIGATOR_NORTH;

        long caseId = Api.createCase(user, "Bucket Test", "2012-03-04", "2016-05-06");
        long photoId = Api.attachCasePhoto(user, caseId, photo, "2016-03-04");
        assertEquals("done", Api.awaitPhoto(user, photoId), "the worker read the photo back from the bucket");
        assertEquals(1, Api.as(user).get("/api/photos/" + photoId).then().statusCode(200).extract().<Integer>path("faceCount"));
        assertArrayEquals(photo, Api.as(user).get("/api/photos/" + photoId + "/content").then().statusCode(200)
                .extract().asByteArray(), "the page serves the bytes from the bucket");

        try (S3BlobStore bucket = S3BlobStore.open(LocalS3.bucket(BUCKET))) {
            byte[] object = bucket.get(key);
            assertFalse(java.util.Arrays.equals(photo, object), "the object under the photo's hash is encrypted");
            assertEquals("HWE1", new String(object, 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
            assertFalse(Files.exists(Path.of("target/test-photos").resolve(key)), "nothing in the local folder");

            Api.as(DemoUsers.ADMIN).queryParam("reason", "test of the bucket store").delete("/api/cases/" + caseId)
                    .then().statusCode(204);
            long deadline = System.currentTimeMillis() + 10_000;
            while (bucket.exists(key) && System.currentTimeMillis() < deadline) {
                Api.sleep(200); // deleted once the transaction has committed
            }
            assertFalse(bucket.exists(key), "the photo's object is deleted with its case");
            assertTrue(Api.as(user).get("/api/photos/" + photoId).then().extract().statusCode() == 404);
        }
    }
}
