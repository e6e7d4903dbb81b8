package org.homeward.photos;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Photo bytes on disk, named by their SHA-256: each distinct image is stored once. A write is on disk
 * (file and folder synced) before it returns, so a row that points at it never points at nothing.
 */
@ApplicationScoped
public class PhotoStore {

    @Inject
    PhotoConfig config;

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path pathOf(String sha256) {
        return config.storage().resolve(sha256.substring(0, 2)).resolve(sha256.substring(2, 4)).resolve(sha256);
    }

    /** Stores the bytes under their hash, durably, and returns the hash. Storing the same bytes twice is a no-op. */
    public String store(byte[] bytes) {
        String sha = sha256(bytes);
        Path target = pathOf(sha);
        if (Files.exists(target)) {
            return sha;
        }
        try {
            writeDurably(target, bytes);
            return sha;
        } catch (IOException e) {
            throw new UncheckedIOException("could not store photo " + sha, e);
        }
    }

    /** Writes the file whole or not at all (temp file, fsync, atomic rename, fsync of the folder). */
    public static void writeDurably(Path target, byte[] bytes) throws IOException {
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempFile(target.getParent(), ".upload-", ".tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(bytes));
            channel.force(true);
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        syncDirectory(target.getParent());
    }

    public byte[] read(String sha256) {
        try {
            return Files.readAllBytes(pathOf(sha256));
        } catch (IOException e) {
            throw new UncheckedIOException("photo " + sha256 + " is missing from the store", e);
        }
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
