package org.homeward.photos.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderBlobStoreTest extends BlobStoreContract {

    @TempDir
    Path root;

    @Override
    BlobStore open() {
        return new FolderBlobStore(root);
    }

    @Test
    void anUnfinishedWriteIsRemovedOnceOldAndNeverListed() throws Exception {
        Path temp = Files.createDirectories(root.resolve("ab/cd"))
                .resolve(FolderBlobStore.TEMP_PREFIX + "123" + FolderBlobStore.TEMP_SUFFIX);
        Files.write(temp, new byte[] {1, 2, 3});
        store.list("", entry -> {
            throw new AssertionError("a temporary file was listed: " + entry);
        });
        assertEquals(0, store.removeUnfinishedWrites(Duration.ofHours(1)), "a young one may still be written");
        Files.setLastModifiedTime(temp, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        assertEquals(1, store.removeUnfinishedWrites(Duration.ofHours(1)));
        assertFalse(Files.exists(temp));
    }

    @Test
    void aKeyCannotLeaveTheRoot() {
        assertThrows(IllegalArgumentException.class, () -> store.put("../escaped", new byte[] {1}));
        assertThrows(IllegalArgumentException.class, () -> store.get("ab/../../escaped"));
    }
}
