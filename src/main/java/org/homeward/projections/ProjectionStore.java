package org.homeward.projections;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.homeward.photos.PhotoConfig;
import org.homeward.photos.PhotoStore;

/**
 * Projection images (PNG) beside the photo store, in {@code <photo store>/projections/}, named by their
 * SHA-256. A file is on disk before its row commits; files no row names any more (a projection replaced, a
 * case deleted) are removed by {@link #sweep} on the daily check.
 */
@ApplicationScoped
public class ProjectionStore {

    @Inject
    PhotoConfig photos;

    Path root() {
        return photos.storage().resolve("projections");
    }

    public Path pathOf(String sha256) {
        return root().resolve(sha256.substring(0, 2)).resolve(sha256 + ".png");
    }

    /** Stores the PNG under its hash, durably, and returns the hash; the same bytes twice are stored once. */
    public String store(byte[] png) {
        String sha = PhotoStore.sha256(png);
        Path target = pathOf(sha);
        if (Files.exists(target)) {
            return sha;
        }
        try {
            PhotoStore.writeDurably(target, png);
            return sha;
        } catch (IOException e) {
            throw new UncheckedIOException("could not store projection " + sha, e);
        }
    }

    public byte[] read(String sha256) {
        try {
            return Files.readAllBytes(pathOf(sha256));
        } catch (IOException e) {
            throw new UncheckedIOException("projection image " + sha256 + " is missing", e);
        }
    }

    /**
     * Deletes the files that {@code referenced} does not name and that are older than {@code minAge} (a file
     * younger than that may belong to a job that has not committed its rows yet). Returns how many went.
     */
    public int sweep(Set<String> referenced, Duration minAge) {
        Path root = root();
        if (!Files.isDirectory(root)) {
            return 0;
        }
        Instant before = Instant.now().minus(minAge);
        int removed = 0;
        try (Stream<Path> files = Files.walk(root, 2)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                String sha = name.endsWith(".png") ? name.substring(0, name.length() - 4) : null;
                if ((sha == null || !referenced.contains(sha)) && olderThan(f, before)) {
                    Files.deleteIfExists(f);
                    removed++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not sweep " + root, e);
        }
        return removed;
    }

    private static boolean olderThan(Path f, Instant before) throws IOException {
        FileTime t = Files.getLastModifiedTime(f);
        return t.toInstant().isBefore(before);
    }

    /** For tests and the sweep's callers: every stored hash. */
    List<String> stored() {
        try (Stream<Path> files = Files.walk(root(), 2)) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".png")).map(n -> n.substring(0, n.length() - 4)).toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
