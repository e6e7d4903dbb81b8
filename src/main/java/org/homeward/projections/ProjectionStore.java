package org.homeward.projections;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.homeward.photos.PhotoStore;
import org.homeward.photos.store.BlobStore;

/**
 * Projection images (PNG) in the photo store under {@code projections/ab/<sha256>.png}, named by their content.
 * An image is stored before its row commits; images no row names any more (a projection replaced, a case
 * deleted) are removed by {@link #sweep} on the daily check.
 */
@ApplicationScoped
public class ProjectionStore {

    private static final String PREFIX = "projections/";
    private static final Pattern KEY = Pattern.compile("projections/[0-9a-f]{2}/([0-9a-f]{64})\\.png");

    @Inject
    BlobStore blobs;

    static String keyOf(String sha256) {
        return PREFIX + sha256.substring(0, 2) + "/" + sha256 + ".png";
    }

    /** Stores the PNG under its hash, durably, and returns the hash; the same bytes twice are stored once. */
    public String store(byte[] png) {
        String sha = PhotoStore.sha256(png);
        blobs.putOnce(keyOf(sha), png);
        return sha;
    }

    public byte[] read(String sha256) {
        return blobs.get(keyOf(sha256));
    }

    /**
     * Deletes the images that {@code referenced} does not name and that are older than {@code minAge} (one
     * younger than that may belong to a job that has not committed its rows yet). Returns how many went.
     */
    public int sweep(Set<String> referenced, Duration minAge) {
        Instant before = Instant.now().minus(minAge);
        List<String> unnamed = new ArrayList<>();
        blobs.list(PREFIX, entry -> {
            var key = KEY.matcher(entry.key());
            if ((!key.matches() || !referenced.contains(key.group(1))) && entry.lastModified().isBefore(before)) {
                unnamed.add(entry.key());
            }
        });
        unnamed.forEach(blobs::delete);
        return unnamed.size();
    }
}
