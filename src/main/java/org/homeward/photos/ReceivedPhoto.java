package org.homeward.photos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.homeward.photos.store.LocalFiles;
import org.homeward.photos.store.StoreFull;

/**
 * The bytes of one upload, written to a local file as they arrive, with their size and SHA-256. A body over the
 * limit is refused as soon as it passes the limit, and no upload is ever held in memory to be received or stored
 * (docs/reliability.md, "Memory"). Closing it deletes the file.
 */
public final class ReceivedPhoto implements AutoCloseable {

    private static final String PREFIX = "received-";
    private static final int BUFFER = 64 * 1024;

    private final Path file;
    private final long size;
    private final String sha256;

    private ReceivedPhoto(Path file, long size, String sha256) {
        this.file = file;
        this.size = size;
        this.sha256 = sha256;
    }

    /**
     * Copies {@code body} into a new file in {@code folder}, stopping with {@link PhotoRejected#tooLarge} once more
     * than {@code maxBytes} have come. Whatever fails, no file is left behind.
     */
    static ReceivedPhoto receive(InputStream body, Path folder, long maxBytes) {
        Path file = createFile(folder);
        try (OutputStream out = Files.newOutputStream(file)) {
            MessageDigest sha = PhotoStore.newSha256();
            byte[] buffer = new byte[BUFFER];
            long size = 0;
            for (int n; (n = read(body, buffer)) != -1; ) {
                size += n;
                if (size > maxBytes) {
                    throw PhotoRejected.tooLarge(maxBytes);
                }
                sha.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
            return new ReceivedPhoto(file, size, HexFormat.of().formatHex(sha.digest()));
        } catch (IOException e) {
            LocalFiles.deleteQuietly(file);
            throw cannotKeep(folder, e);
        } catch (RuntimeException e) {
            LocalFiles.deleteQuietly(file);
            throw e;
        }
    }

    /** The file as it arrives; read-only to callers. */
    public Path file() {
        return file;
    }

    public long size() {
        return size;
    }

    public String sha256() {
        return sha256;
    }

    /** The whole content: at most the upload limit, for the decoder's check. */
    byte[] readAll() {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the received upload " + file, e);
        }
    }

    @Override
    public void close() {
        LocalFiles.deleteQuietly(file);
    }

    /**
     * Removes files older than {@code minAge} from the folder of received uploads: only a process that died
     * mid-upload leaves one, as every upload deletes its own. Returns how many it removed.
     */
    static int removeOlderThan(Path folder, Duration minAge) {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return LocalFiles.removeOlderThan(files, minAge);
        } catch (IOException e) {
            throw new UncheckedIOException("could not clear the folder of received uploads " + folder, e);
        }
    }

    /** A sender that goes away mid-upload is the request's fault, not the server's. */
    private static int read(InputStream body, byte[] buffer) {
        try {
            return body.read(buffer);
        } catch (IOException e) {
            throw PhotoRejected.incomplete();
        }
    }

    private static Path createFile(Path folder) {
        try {
            Files.createDirectories(folder);
            return Files.createTempFile(folder, PREFIX, ".part");
        } catch (IOException e) {
            throw cannotKeep(folder, e);
        }
    }

    /** A full disk gets the answer a full store gets (507, nothing changed); anything else is the server's fault. */
    private static RuntimeException cannotKeep(Path folder, IOException e) {
        return StoreFull.isNoSpace(e) ? new PhotoStoreFull()
                : new UncheckedIOException("could not keep an upload in " + folder + ": " + e.getMessage(), e);
    }
}
