package org.homeward.photos.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encryption at rest over the folder store (the contract's other tests run it too, through {@link
 * EncryptedFolderContractTest}): what is on disk is not the photo, a changed byte or a renamed file is refused,
 * and keys rotate without losing a file.
 */
class EncryptingBlobStoreTest {

    @TempDir
    Path dir;

    private static final byte[] PHOTO = "a child's photo, as bytes".repeat(100).getBytes(StandardCharsets.UTF_8);

    private EncryptingBlobStore store(PhotoKeys keys) {
        return new EncryptingBlobStore(new FolderBlobStore(dir.resolve("store")), keys);
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Test
    void theFileOnDiskIsNotThePhotoAndReadsBackWhole() throws Exception {
        PhotoKeys keys = PhotoKeys.create(dir.resolve("keys/photo-store.keys"));
        assertEquals(java.util.Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(dir.resolve("keys/photo-store.keys")), "the key file is its owner's only");
        EncryptingBlobStore store = store(keys);
        store.put("ab/cd/photo", PHOTO);
        byte[] onDisk = Files.readAllBytes(dir.resolve("store/ab/cd/photo"));
        assertFalse(contains(onDisk, "a child's photo".getBytes(StandardCharsets.UTF_8)), "no plaintext on disk");
        assertTrue(EncryptingBlobStore.isSealed(onDisk));
        assertArrayEquals(PHOTO, store.get("ab/cd/photo"));
        assertEquals(Optional.of("k1"), store.keyIdOf("ab/cd/photo"));

        store.put("ab/cd/again", PHOTO);
        assertFalse(java.util.Arrays.equals(onDisk, Files.readAllBytes(dir.resolve("store/ab/cd/again"))),
                "the same photo twice is two different ciphertexts (its own data key and nonce)");
    }

    @Test
    void aChangedByteOrARenamedFileIsRefusedNotMisread() throws Exception {
        EncryptingBlobStore store = store(PhotoKeys.create(dir.resolve("photo-store.keys")));
        store.put("ab/cd/photo", PHOTO);
        Path file = dir.resolve("store/ab/cd/photo");
        byte[] onDisk = Files.readAllBytes(file);

        byte[] flipped = onDisk.clone();
        flipped[flipped.length - 40] ^= 1;
        Files.write(file, flipped);
        UncheckedIOException changed = assertThrows(UncheckedIOException.class, () -> store.get("ab/cd/photo"));
        assertTrue(changed.getMessage().contains("does not decrypt"), changed.getMessage());

        Files.createDirectories(dir.resolve("store/ef/01"));
        Files.write(dir.resolve("store/ef/01/other"), onDisk);
        assertThrows(UncheckedIOException.class, () -> store.get("ef/01/other"), "sealed to its own name");
    }

    @Test
    void rotationKeepsOldFilesReadableAndResealsThem() throws Exception {
        Path keyFile = dir.resolve("photo-store.keys");
        PhotoKeys first = PhotoKeys.create(keyFile);
        store(first).put("ab/cd/old", PHOTO);

        // A second key becomes primary; the first stays to read what it sealed.
        byte[] second = new byte[32];
        new java.security.SecureRandom().nextBytes(second);
        String text = Files.readString(keyFile).replace("primary=k1", "primary=k2")
                + "k2=" + java.util.Base64.getEncoder().encodeToString(second) + "\n";
        Files.writeString(keyFile, text);
        EncryptingBlobStore rotated = store(PhotoKeys.read(keyFile));
        assertArrayEquals(PHOTO, rotated.get("ab/cd/old"));
        rotated.put("ab/cd/new", PHOTO);
        assertEquals(Optional.of("k2"), rotated.keyIdOf("ab/cd/new"));

        assertTrue(rotated.reseal("ab/cd/old"));
        assertFalse(rotated.reseal("ab/cd/old"), "already under the primary key");
        assertEquals(Optional.of("k2"), rotated.keyIdOf("ab/cd/old"));

        // Once nothing is sealed under k1, it can leave the key file.
        Files.writeString(keyFile, text.replaceAll("(?m)^k1=.*\\n", ""));
        assertArrayEquals(PHOTO, store(PhotoKeys.read(keyFile)).get("ab/cd/old"));

        // A file sealed under a key the file no longer holds says which key it needs.
        first = PhotoKeys.read(dir.resolve("photo-store.keys"));
        EncryptingBlobStore withoutK1 = store(first);
        new EncryptingBlobStore(new FolderBlobStore(dir.resolve("store")),
                PhotoKeys.create(dir.resolve("other.keys"))).put("ab/cd/elsewhere", PHOTO); // sealed under another "k1"
        UncheckedIOException lost = assertThrows(UncheckedIOException.class, () -> withoutK1.get("ab/cd/elsewhere"));
        assertTrue(lost.getMessage().contains("under key 'k1', which the key file does not hold"), lost.getMessage());
    }

    @Test
    void aFileWrittenBeforeEncryptionIsReadAndCanBeSealed() throws Exception {
        new FolderBlobStore(dir.resolve("store")).put("ab/cd/legacy", PHOTO);
        EncryptingBlobStore store = store(PhotoKeys.create(dir.resolve("photo-store.keys")));
        assertEquals(Optional.empty(), store.keyIdOf("ab/cd/legacy"));
        assertArrayEquals(PHOTO, store.get("ab/cd/legacy"));
        assertTrue(store.reseal("ab/cd/legacy"));
        assertTrue(EncryptingBlobStore.isSealed(Files.readAllBytes(dir.resolve("store/ab/cd/legacy"))));
        assertArrayEquals(PHOTO, store.get("ab/cd/legacy"));
    }

    @Test
    void aKeyFileThatIsNotOneIsRefusedNamingTheLine() throws Exception {
        Path file = dir.resolve("bad.keys");
        Files.writeString(file, "primary=k1\nk1=c2hvcnQ=\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PhotoKeys.read(file));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("32 bytes"), e.getMessage());
        Files.writeString(file, "k1=" + java.util.Base64.getEncoder().encodeToString(new byte[32]) + "\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PhotoKeys.read(file)).getMessage().contains("no primary"));
    }
}
