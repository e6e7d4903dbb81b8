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
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.jboss.logging.Logger;

/**
 * Photo bytes on disk, named by their SHA-256: each distinct image is stored once. A write is on disk
 * (file and folder synced) before it returns, so a row that points at it never points at nothing.
 */
@ApplicationScoped
public class PhotoStore {

    private static final Logger LOG = Logger.getLogger(PhotoStore.class);
    /** How a write's temporary file is named until it is renamed to its hash. */
    static final String TEMP_PREFIX = ".upload-";
    static final String TEMP_SUFFIX = ".tmp";
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern FANOUT = Pattern.compile("[0-9a-f]{2}");

    @Inject
    PhotoConfig config;

    @Inject
    TransactionSynchronizationRegistry transactions;

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
            // A file no row names yet (an upload that failed before its commit): new again, so the sweep keeps it.
            touch(target);
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
        Path temp = Files.createTempFile(target.getParent(), TEMP_PREFIX, TEMP_SUFFIX);
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

    /**
     * Deletes the files of removed photos once the caller's transaction has committed: a rolled-back removal
     * keeps its file, so a row never points at nothing.
     */
    public void deleteAfterCommit(List<String> sha256s) {
        if (sha256s.isEmpty()) {
            return;
        }
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    sha256s.forEach(PhotoStore.this::deleteQuietly);
                }
            }
        });
    }

    private void deleteQuietly(String sha256) {
        try {
            Files.deleteIfExists(pathOf(sha256));
        } catch (IOException e) {
            // The row is gone; an orphan file is harmless and the sweep removes it.
            LOG.warnf("could not delete photo file %s: %s", sha256, e.getMessage());
        }
    }

    /** Removes the temporary files of writes that never finished (a full disk, a crash) older than {@code minAge}. */
    public int removeTemporaryFiles(Duration minAge) {
        int[] removed = {0};
        walk(file -> {
            String name = file.getFileName().toString();
            if (name.startsWith(TEMP_PREFIX) && name.endsWith(TEMP_SUFFIX) && deleteIfOlder(file, minAge)) {
                removed[0]++;
            }
        });
        return removed[0];
    }

    /** Calls {@code action} with the hash of every stored photo file whose last write is older than {@code minAge}. */
    public void forEachStoredOlderThan(Duration minAge, Consumer<String> action) {
        Instant before = Instant.now().minus(minAge);
        walk(file -> {
            String name = file.getFileName().toString();
            if (SHA256.matcher(name).matches() && file.equals(pathOf(name)) && modifiedBefore(file, before)) {
                action.accept(name);
            }
        });
    }

    /** Deletes a stored file unless it was written (or stored again) within {@code minAge}; true when deleted. */
    public boolean deleteIfOlderThan(String sha256, Duration minAge) {
        return deleteIfOlder(pathOf(sha256), minAge);
    }

    /** Visits the files of the store's two fan-out levels (ab/cd/...), never the projections beside them. */
    private void walk(Consumer<Path> visit) {
        Path root = config.storage();
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root, 3)) {
            files.filter(f -> f.getNameCount() == root.getNameCount() + 3
                    && FANOUT.matcher(f.getParent().getFileName().toString()).matches()
                    && FANOUT.matcher(f.getParent().getParent().getFileName().toString()).matches()
                    && Files.isRegularFile(f)).forEach(visit);
        } catch (IOException e) {
            throw new UncheckedIOException("could not walk the photo store " + root, e);
        }
    }

    private static boolean deleteIfOlder(Path file, Duration minAge) {
        try {
            return modifiedBefore(file, Instant.now().minus(minAge)) && Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warnf("could not delete %s: %s", file, e.getMessage());
            return false;
        }
    }

    private static boolean modifiedBefore(Path file, Instant before) {
        try {
            return Files.getLastModifiedTime(file).toInstant().isBefore(before);
        } catch (IOException e) {
            return false; // gone meanwhile
        }
    }

    private static void touch(Path file) {
        try {
            Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
        } catch (IOException e) {
            LOG.warnf("could not touch %s: %s", file, e.getMessage());
        }
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
