package org.homeward.photos;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.homeward.photos.store.BlobStore;

/**
 * Photo bytes named by their SHA-256 ({@code ab/cd/<sha256>} in the {@link BlobStore}): each distinct image is
 * stored once. A write is durable before it returns, so a row that points at it never points at nothing.
 */
@ApplicationScoped
public class PhotoStore {

    /** A photo's key: two fan-out levels, then the hash; projections and anything else in the store differ. */
    private static final Pattern PHOTO_KEY = Pattern.compile("([0-9a-f]{2})/([0-9a-f]{2})/(\\1\\2[0-9a-f]{60})");

    @Inject
    BlobStore blobs;

    @Inject
    TransactionSynchronizationRegistry transactions;

    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(newSha256().digest(bytes));
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String keyOf(String sha256) {
        return sha256.substring(0, 2) + "/" + sha256.substring(2, 4) + "/" + sha256;
    }

    /**
     * Stores a received upload under its hash, durably, copied from its file. Storing the same bytes twice only
     * marks them as written now.
     */
    public void store(ReceivedPhoto received) {
        blobs.putOnce(keyOf(received.sha256()), received.file());
    }

    public byte[] read(String sha256) {
        return blobs.get(keyOf(sha256));
    }

    /**
     * Deletes the bytes of removed photos once the caller's transaction has committed: a rolled-back removal
     * keeps them, so a row never points at nothing.
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
                    // The row is gone; bytes that could not be deleted are an orphan the sweep removes.
                    sha256s.forEach(sha -> blobs.delete(keyOf(sha)));
                }
            }
        });
    }

    /** Removes what writes that never finished (a full disk, a crash) left behind, older than {@code minAge}. */
    public int removeTemporaryFiles(Duration minAge) {
        return blobs.removeUnfinishedWrites(minAge);
    }

    /** Calls {@code action} with the hash of every stored photo whose last write is older than {@code minAge}. */
    public void forEachStoredOlderThan(Duration minAge, Consumer<String> action) {
        Instant before = Instant.now().minus(minAge);
        blobs.list("", entry -> {
            var key = PHOTO_KEY.matcher(entry.key());
            if (key.matches() && entry.lastModified().isBefore(before)) {
                action.accept(key.group(3));
            }
        });
    }

    /** Deletes stored bytes unless they were written (or stored again) within {@code minAge}; true when deleted. */
    public boolean deleteIfOlderThan(String sha256, Duration minAge) {
        String key = keyOf(sha256);
        boolean old = blobs.lastModified(key).filter(t -> t.isBefore(Instant.now().minus(minAge))).isPresent();
        if (old) {
            blobs.delete(key);
        }
        return old;
    }

    /** Where the bytes are, for logs and the doctor. */
    public String describe() {
        return blobs.describe();
    }
}
