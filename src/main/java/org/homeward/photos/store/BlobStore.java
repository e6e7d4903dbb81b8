package org.homeward.photos.store;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where the bytes of photos and projections live: a local folder (the embedded default) or an S3-compatible
 * bucket, so that web replicas and workers on other machines read the same photos. Keys are relative paths with
 * '/' between their parts ({@code ab/cd/<sha256>}, {@code projections/ab/<sha256>.png}); callers name things by
 * content, so a key is written once and never changes.
 */
public interface BlobStore extends AutoCloseable {

    /** A stored key and when it was last written (or touched). */
    record Entry(String key, Instant lastModified) {
    }

    /** When {@code key} was last written (or touched); empty when nothing is stored under it. */
    Optional<Instant> lastModified(String key);

    default boolean exists(String key) {
        return lastModified(key).isPresent();
    }

    /** Writes the bytes whole or not at all, and durably before returning: a row may name the key afterwards. */
    void put(String key, byte[] bytes);

    /** The same for the bytes of a local file, which is left where it is, without holding them in memory. */
    void put(String key, Path file);

    /**
     * Stores content-named bytes once: when {@code key} is already there it is only marked as written now, so that a
     * sweep removing old bytes no row names leaves it for the row about to name it.
     */
    default void putOnce(String key, byte[] bytes) {
        putOnce(key, () -> put(key, bytes));
    }

    /** {@link #putOnce(String, byte[])} for the bytes of a local file. */
    default void putOnce(String key, Path file) {
        putOnce(key, () -> put(key, file));
    }

    private void putOnce(String key, Runnable write) {
        if (exists(key)) {
            touch(key);
        } else {
            write.run();
        }
    }

    /** The bytes of {@code key}; {@link java.io.UncheckedIOException} when they are missing or unreadable. */
    byte[] get(String key);

    /** Deletes the key if it is there; a failure is logged, never thrown (an orphan is the sweep's to remove). */
    void delete(String key);

    /** Marks the key as written now, so that a sweep that removes old unnamed bytes leaves it alone. */
    void touch(String key);

    /** Calls {@code visit} with every key under {@code prefix} ("" for all) and its last write. */
    void list(String prefix, Consumer<Entry> visit);

    /** Removes what unfinished writes left behind (temporary files, multipart uploads) older than {@code minAge}. */
    int removeUnfinishedWrites(Duration minAge);

    /** Where the store is, for logs and the doctor: "folder /var/lib/homeward/photos", "s3 http://...". */
    String describe();

    @Override
    default void close() {
    }
}
