package org.homeward.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/**
 * The FG-NET photo the detector misses (033A02: a two-year-old low in the frame, "0 faces" even framed as a tight
 * crop) and the box a person would draw on it (the annotated points' bounds), with a later photo of the same child
 * that the detector finds: the drawing tests' material.
 */
public final class DrawnFaces {

    /** A girl, born on this day, seen at two in the missed photo and at five in the sighting. */
    public static final String BORN = "1950-01-01";
    public static final String MISSED_TAKEN_ON = "1952-03-01";
    public static final String SIGHTING_SEEN_ON = "1955-03-01";

    private DrawnFaces() {
    }

    public static Fgnet.Photo missed() {
        return photo("033A02.JPG");
    }

    public static Fgnet.Photo later() {
        return photo("033A05.JPG");
    }

    /** The photo's bytes made new for this run (one pixel changed), so each run uploads a new photo. */
    public static byte[] bytes(Fgnet.Photo photo) {
        try {
            return TestImages.unique(Files.readAllBytes(photo.path()), System.nanoTime());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The box around the annotated face, as a person draws it: x, y, width, height in the photo's pixels. */
    public static Map<String, Integer> box(Fgnet.Photo photo) {
        double minX = Double.MAX_VALUE, minY = Double.MAX_VALUE, maxX = 0, maxY = 0;
        for (double[] p : photo.points()) {
            minX = Math.min(minX, p[0]);
            minY = Math.min(minY, p[1]);
            maxX = Math.max(maxX, p[0]);
            maxY = Math.max(maxY, p[1]);
        }
        return Map.of("x", (int) minX, "y", (int) minY, "width", (int) (maxX - minX), "height", (int) (maxY - minY));
    }

    /** A case opened for the child with the missed photo attached and analysed ("0 faces"): its id and the photo's. */
    public record MissedCase(long caseId, long photoId) {
    }

    public static MissedCase caseWithMissedFace(String user, String childName) {
        long caseId = Api.createCase(user, childName + " " + System.nanoTime(), BORN, "1952-06-01");
        long photoId = Api.attachCasePhoto(user, caseId, bytes(missed()), MISSED_TAKEN_ON);
        assertTrue("done".equals(Api.awaitPhoto(user, photoId)), "photo " + photoId + " analysed");
        return new MissedCase(caseId, photoId);
    }

    /** Waits until the worker has indexed (or refused) a drawn box; returns its state. */
    public static String awaitDrawn(String user, long photoId, long drawnId) {
        long deadline = System.currentTimeMillis() + 180_000;
        while (true) {
            String state = Api.as(user).get("/api/photos/" + photoId + "/drawn-faces/" + drawnId).then().statusCode(200)
                    .extract().path("state");
            if (!"waiting".equals(state)) {
                return state;
            }
            assertTrue(System.currentTimeMillis() < deadline, "drawn face " + drawnId + " not indexed in time");
            Api.sleep(300);
        }
    }

    public static Fgnet.Photo photo(String file) {
        return Fgnet.photos().stream().filter(p -> p.path().getFileName().toString().equals(file)).findFirst()
                .orElseThrow(() -> new IllegalStateException(file + " is not in FG-NET dev"));
    }
}
