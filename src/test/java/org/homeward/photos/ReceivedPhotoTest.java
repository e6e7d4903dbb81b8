package org.homeward.photos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.homeward.testing.Allocations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Receiving an upload into a local file: the limit holds as bytes arrive, and nothing is left behind. */
class ReceivedPhotoTest {

    private static final long LIMIT = 5_000_000;

    @TempDir
    Path folder;

    /** A body of {@code size} bytes made as it is read, counting what the receiver took. */
    private static final class Body extends InputStream {
        private final long size;
        long read;

        Body(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            return read < size ? (int) (read++ & 0x7f) : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (read >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - read);
            read += n;
            return n;
        }
    }

    private List<Path> filesLeft() throws IOException {
        try (var files = Files.list(folder)) {
            return files.toList();
        }
    }

    @Test
    void aBodyOverTheLimitIsRefusedOnceItPassesTheLimitAndNeverHeld() throws Exception {
        Body body = new Body(60_000_000);
        PhotoRejected[] refused = new PhotoRejected[1];

        long allocated = Allocations.during(() -> refused[0] = assertThrows(PhotoRejected.class,
                () -> ReceivedPhoto.receive(body, folder, LIMIT)));

        System.out.printf("FIGURES a 60 MB body over a %d-byte limit: %d bytes read, %.2f MB allocated%n", LIMIT,
                body.read, allocated / 1e6);
        assertEquals(413, refused[0].status());
        assertEquals("photo-too-large", refused[0].slug());
        assertEquals("The photo is larger than the limit of 5000000 bytes.", refused[0].getMessage());
        assertTrue(body.read <= LIMIT + 64 * 1024, "read " + body.read + " bytes of a body already over the limit");
        assertTrue(allocated < 2_000_000, "receiving allocated " + allocated + " bytes: the body was held");
        assertEquals(List.of(), filesLeft(), "the refused body's file is gone");
    }

    @Test
    void anUploadIsKeptWithItsSizeAndHashUntilClosed() throws Exception {
        byte[] photo = new byte[(int) LIMIT];
        new Random(3).nextBytes(photo);

        Path file;
        try (ReceivedPhoto received = ReceivedPhoto.receive(new ByteArrayInputStream(photo), folder, LIMIT)) {
            file = received.file();
            assertEquals(LIMIT, received.size(), "exactly the limit is accepted");
            assertEquals(PhotoStore.sha256(photo), received.sha256());
            assertArrayEquals(photo, Files.readAllBytes(file));
            assertArrayEquals(photo, received.readAll());
        }
        assertTrue(Files.notExists(file), "closing deletes the received file");
        assertEquals(List.of(), filesLeft());
    }

    @Test
    void aSenderThatGoesAwayMidUploadIsToldTheUploadIsIncomplete() throws Exception {
        InputStream cut = new InputStream() {
            private int sent;

            @Override
            public int read() throws IOException {
                if (sent++ > 100_000) {
                    throw new IOException("Connection reset by peer");
                }
                return 1;
            }
        };
        PhotoRejected e = assertThrows(PhotoRejected.class, () -> ReceivedPhoto.receive(cut, folder, LIMIT));
        assertEquals(400, e.status());
        assertEquals("upload-incomplete", e.slug());
        assertEquals(List.of(), filesLeft());
    }

    @Test
    void onlyOldLeftoversOfDeadUploadsAreRemoved() throws Exception {
        Path old = Files.writeString(folder.resolve("received-1.part"), "a process died mid-upload");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path current = Files.writeString(folder.resolve("received-2.part"), "arriving now");

        assertEquals(1, ReceivedPhoto.removeOlderThan(folder, Duration.ofHours(1)));
        assertEquals(List.of(current), filesLeft());
        assertEquals(0, ReceivedPhoto.removeOlderThan(folder.resolve("absent"), Duration.ZERO));
    }
}
