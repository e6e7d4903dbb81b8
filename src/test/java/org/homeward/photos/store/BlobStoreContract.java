package org.homeward.photos.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.homeward.testing.Allocations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every photo store must do, whatever holds the bytes: run against the folder and a real S3 server. */
abstract class BlobStoreContract {

    BlobStore store;

    /** Where files to be stored come from: the folder of received uploads, as the app has it. */
    @TempDir
    Path scratch;

    abstract BlobStore open() throws Exception;

    /** How many whole copies of a file the store holds in memory while it stores it: none, where it streams. */
    int copiesHeldWhileStoring() {
        return 0;
    }

    @BeforeEach
    void openStore() throws Exception {
        store = open();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private List<String> keys(String prefix) {
        List<String> keys = new ArrayList<>();
        store.list(prefix, entry -> keys.add(entry.key()));
        keys.sort(null);
        return keys;
    }

    @Test
    void storedBytesComeBackWhole() {
        byte[] photo = new byte[3_000_000];
        new java.util.Random(7).nextBytes(photo);
        assertFalse(store.exists("ab/cd/abcd01"));
        store.put("ab/cd/abcd01", photo);
        assertTrue(store.exists("ab/cd/abcd01"));
        assertArrayEquals(photo, store.get("ab/cd/abcd01"));
    }

    @Test
    void missingKeyIsAnErrorThatNamesIt() {
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> store.get("ab/cd/missing"));
        assertTrue(e.getMessage().contains("ab/cd/missing"), e.getMessage());
        assertTrue(store.lastModified("ab/cd/missing").isEmpty());
    }

    @Test
    void listNamesKeysUnderAPrefixWithTheirTime() {
        Instant before = Instant.now().minusSeconds(5);
        store.put("ab/cd/one", bytes("1"));
        store.put("ab/ef/two", bytes("2"));
        store.put("projections/ab/three.png", bytes("3"));
        assertEquals(List.of("ab/cd/one", "ab/ef/two", "projections/ab/three.png"), keys(""));
        assertEquals(List.of("projections/ab/three.png"), keys("projections/"));
        store.list("", entry -> assertTrue(entry.lastModified().isAfter(before), entry.toString()));
    }

    @Test
    void deleteRemovesAndForgetsQuietly() {
        store.put("ab/cd/gone", bytes("x"));
        store.delete("ab/cd/gone");
        assertFalse(store.exists("ab/cd/gone"));
        store.delete("ab/cd/gone"); // again: nothing to do, no error
        assertEquals(List.of(), keys(""));
    }

    @Test
    void touchMakesOldBytesNewWithoutChangingThem() throws Exception {
        store.put("ab/cd/old", bytes("kept"));
        Instant written = store.lastModified("ab/cd/old").orElseThrow();
        Thread.sleep(1_100); // S3 times have whole seconds
        store.touch("ab/cd/old");
        assertTrue(store.lastModified("ab/cd/old").orElseThrow().isAfter(written), "touched after it was written");
        assertArrayEquals(bytes("kept"), store.get("ab/cd/old"));
    }

    @Test
    void putOnceStoresNewBytesAndOnlyRenewsKnownOnes() throws Exception {
        store.putOnce("ab/cd/named", bytes("first"));
        Instant written = store.lastModified("ab/cd/named").orElseThrow();
        Thread.sleep(1_100); // S3 times have whole seconds
        store.putOnce("ab/cd/named", bytes("first"));
        assertTrue(store.lastModified("ab/cd/named").orElseThrow().isAfter(written), "renewed, so a sweep keeps it");
        assertArrayEquals(bytes("first"), store.get("ab/cd/named"));
    }

    @Test
    void aSecondWriteOfAKeyReplacesItWhole() {
        store.put("ab/cd/same", bytes("first"));
        store.put("ab/cd/same", bytes("second"));
        assertArrayEquals(bytes("second"), store.get("ab/cd/same"));
        assertEquals(0, store.removeUnfinishedWrites(Duration.ZERO), "finished writes leave nothing to remove");
        assertEquals(List.of("ab/cd/same"), keys(""));
    }

    /** The size of a photo that, held whole, would stand out from what streaming allocates. */
    private static final int LARGE = 24_000_000;

    @Test
    void aFileIsStoredWithoutBeingHeldInMemoryAndLeavesNothingBeside() throws Exception {
        byte[] photo = new byte[LARGE];
        new java.util.Random(11).nextBytes(photo);
        Path received = Files.write(scratch.resolve("received-1.part"), photo);

        long allocated = Allocations.during(() -> store.put("ab/cd/large", received));

        System.out.printf("FIGURES %s: storing a %d MB file allocated %.1f MB on the calling thread%n",
                getClass().getSimpleName(), LARGE / 1_000_000, allocated / 1e6);
        assertTrue(allocated < copiesHeldWhileStoring() * LARGE + LARGE / 3,
                "storing a " + LARGE + "-byte file allocated " + allocated + " bytes");
        assertArrayEquals(photo, store.get("ab/cd/large"));
        assertEquals(List.of("ab/cd/large"), keys(""));
        try (var beside = Files.list(scratch)) {
            assertEquals(List.of(received), beside.toList(), "the file stays; nothing else is left beside it");
        }
    }
}
