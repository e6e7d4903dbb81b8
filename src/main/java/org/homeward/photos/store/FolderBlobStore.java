package org.homeward.photos.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Keys as files under a root folder. A write goes to a temporary file beside its target, is synced, renamed over
 * the target in one step and the folder synced, so a crash leaves either nothing or the whole file.
 */
public final class FolderBlobStore implements BlobStore {

    private static final Logger LOG = Logger.getLogger(FolderBlobStore.class);
    /** How a write's temporary file is named until it is renamed to its key. */
    public static final String TEMP_PREFIX = ".upload-";
    public static final String TEMP_SUFFIX = ".tmp";

    private final Path root;

    public FolderBlobStore(Path root) {
        this.root = root;
    }

    public Path pathOf(String key) {
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root.normalize()) || key.startsWith("/")) {
            throw new IllegalArgumentException("key outside the store: " + key);
        }
        return path;
    }

    @Override
    public Optional<Instant> lastModified(String key) {
        return Optional.ofNullable(LocalFiles.lastModified(pathOf(key)));
    }

    @Override
    public void put(String key, byte[] bytes) {
        put(key, channel -> {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        });
    }

    @Override
    public void put(String key, Path file) {
        put(key, channel -> {
            try (FileChannel source = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = source.size();
                for (long done = 0; done < size; ) {
                    done += source.transferTo(done, size - done, channel);
                }
            }
        });
    }

    private void put(String key, Content content) {
        Path target = pathOf(key);
        try {
            writeDurably(target, content);
        } catch (IOException e) {
            if (StoreFull.isNoSpace(e)) {
                throw new StoreFull("no room to write " + target + ": " + e.getMessage(), e);
            }
            throw new UncheckedIOException("could not write " + target, e);
        }
    }

    /** What a write puts into its temporary file. */
    @FunctionalInterface
    private interface Content {
        void writeTo(FileChannel channel) throws IOException;
    }

    /** Writes the file whole or not at all (temp file, fsync, atomic rename, fsync of the folder). */
    private static void writeDurably(Path target, Content content) throws IOException {
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempFile(target.getParent(), TEMP_PREFIX, TEMP_SUFFIX);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                content.writeTo(channel);
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // A full disk: nothing half-written stays behind (the sweep would find it, but later).
            Files.deleteIfExists(temp);
            throw e;
        }
        syncDirectory(target.getParent());
    }

    @Override
    public byte[] get(String key) {
        try {
            return Files.readAllBytes(pathOf(key));
        } catch (IOException e) {
            throw new UncheckedIOException(key + " is missing from the store " + root, e);
        }
    }

    @Override
    public void delete(String key) {
        try {
            Files.deleteIfExists(pathOf(key));
        } catch (IOException e) {
            LOG.warnf("could not delete %s from %s: %s", key, root, e.getMessage());
        }
    }

    @Override
    public void touch(String key) {
        try {
            Files.setLastModifiedTime(pathOf(key), FileTime.from(Instant.now()));
        } catch (IOException e) {
            LOG.warnf("could not touch %s in %s: %s", key, root, e.getMessage());
        }
    }

    @Override
    public void list(String prefix, Consumer<Entry> visit) {
        Path start = prefix.isEmpty() ? root : pathOf(prefix);
        if (!Files.isDirectory(start)) {
            return;
        }
        try (Stream<Path> files = Files.walk(start)) {
            files.filter(Files::isRegularFile).filter(f -> !isTemporary(f)).forEach(f -> {
                Instant modified = LocalFiles.lastModified(f);
                if (modified != null) {
                    visit.accept(new Entry(keyOf(f), modified));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not list the store " + start, e);
        }
    }

    @Override
    public int removeUnfinishedWrites(Duration minAge) {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(root)) {
            return LocalFiles.removeOlderThan(files.filter(FolderBlobStore::isTemporary), minAge);
        } catch (IOException e) {
            throw new UncheckedIOException("could not sweep the store " + root, e);
        }
    }

    @Override
    public String describe() {
        return "folder " + root.toAbsolutePath();
    }

    private String keyOf(Path file) {
        return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }

    private static boolean isTemporary(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(TEMP_PREFIX) && name.endsWith(TEMP_SUFFIX);
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
