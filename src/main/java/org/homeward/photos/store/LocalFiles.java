package org.homeward.photos.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

/**
 * Files on this machine's disk that writes leave behind (a store's temporary files, uploads being received):
 * when each was last written, and removing the old ones.
 */
public final class LocalFiles {

    private LocalFiles() {
    }

    /** When the file was last written; null when it is gone meanwhile. */
    static Instant lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes those of {@code files} last written more than {@code minAge} ago; returns how many it deleted. */
    public static int removeOlderThan(Stream<Path> files, Duration minAge) throws IOException {
        Instant before = Instant.now().minus(minAge);
        int removed = 0;
        for (Path f : files.filter(Files::isRegularFile).toList()) {
            Instant modified = lastModified(f);
            if (modified != null && modified.isBefore(before) && Files.deleteIfExists(f)) {
                removed++;
            }
        }
        return removed;
    }

    /** Deletes the file if it is there; a failure leaves it for the sweep that clears its folder. */
    public static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the sweep of the folder removes it once it is old
        }
    }
}
