package org.homeward.photos;

import static org.homeward.testing.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.homeward.testing.Api;
import org.homeward.testing.DemoUsers;
import org.homeward.testing.TestImages;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Bad input at volume: a generated corpus of at least 200 malformed files (truncated and bit-flipped JPEG and PNG,
 * wrong magic numbers, polyglots, huge declared sizes, EXIF and ICC segments of garbage, zero bytes, text named as
 * an image) sent through the real upload. Each is refused at once with a problem that says why (never a 5xx), or
 * accepted and then analysed to done or to failed with its reason; the worker is still working afterwards (a good
 * photo after the corpus is analysed), and the heap in use after the corpus is printed beside the one before it.
 */
@QuarkusTest
@Tag("shared-app")
class MalformedCorpusTest {

    @Test
    void everyMalformedFileIsRefusedWithAReasonOrAnalysedAndTheWorkerGoesOn() {
        Map<String, byte[]> corpus = corpus(new Random(20261204));
        assertTrue(corpus.size() >= 200, "corpus of " + corpus.size());
        long heapBefore = usedHeapAfterGc();

        int refused = 0;
        List<Long> accepted = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, byte[]> file : corpus.entrySet()) {
            String type = file.getKey().contains(".png") ? "image/png" : "image/jpeg";
            Response response = as(DemoUsers.INVESTIGATOR_NORTH).contentType(type).body(file.getValue()).post("/api/photos");
            int status = response.statusCode();
            if (status == 200 || status == 201) {
                accepted.add(((Number) response.path("id")).longValue());
            } else if (status >= 400 && status < 500 && response.contentType().startsWith("application/problem+json")
                    && response.path("detail") != null && !((String) response.path("detail")).isBlank()) {
                refused++;
            } else {
                problems.add(file.getKey() + ": " + status + " " + response.asString());
            }
        }
        int failedWithReason = 0;
        for (long id : accepted) {
            String state = Api.awaitPhoto(DemoUsers.INVESTIGATOR_NORTH, id);
            if ("failed".equals(state)) {
                String reason = as(DemoUsers.INVESTIGATOR_NORTH).get("/api/photos/" + id).then().extract().path("failureReason");
                if (reason == null || reason.isBlank()) {
                    problems.add("photo " + id + " failed without a reason");
                }
                failedWithReason++;
            }
        }
        long good = Api.uploadPhoto(DemoUsers.INVESTIGATOR_NORTH, TestImages.generated("png", 320, 240, System.nanoTime()),
                "image/png");
        assertEquals("done", Api.awaitPhoto(DemoUsers.INVESTIGATOR_NORTH, good), "the worker still analyses a good photo");
        long heapAfter = usedHeapAfterGc();
        System.out.printf("malformed corpus: %d files, %d refused at upload, %d accepted (%d of them failed in analysis"
                + " with a reason); heap in use after GC %d MB before, %d MB after (%s, %d cores)%n", corpus.size(), refused,
                accepted.size(), failedWithReason, heapBefore >> 20, heapAfter >> 20, System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors());
        assertTrue(problems.isEmpty(), problems.size() + " files were not handled cleanly:\n" + String.join("\n", problems));
        assertTrue(heapAfter - heapBefore < 256L << 20, "the heap grew by " + ((heapAfter - heapBefore) >> 20)
                + " MB across the corpus: something is kept");
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** At least 200 malformed files, each distinct, named by what is wrong with it. */
    static Map<String, byte[]> corpus(Random random) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        byte[] jpeg = TestImages.generated("jpg", 240, 180, 1);
        byte[] png = TestImages.generated("png", 240, 180, 2);
        for (int i = 0; i < 40; i++) {
            int cut = 1 + random.nextInt(jpeg.length - 1);
            files.put("truncated-" + i + "-at-" + cut + ".jpg", java.util.Arrays.copyOf(jpeg, cut));
            int pngCut = 1 + random.nextInt(png.length - 1);
            files.put("truncated-" + i + "-at-" + pngCut + ".png", java.util.Arrays.copyOf(png, pngCut));
        }
        for (int i = 0; i < 40; i++) {
            files.put("bit-flipped-" + i + ".jpg", flipped(jpeg, random, 1 + random.nextInt(8)));
            files.put("bit-flipped-" + i + ".png", flipped(png, random, 1 + random.nextInt(8)));
        }
        String[] magics = {"GIF89a", "BM", "RIFF....WEBP", "%PDF-1.7", "PK\u0003\u0004", "\u0000\u0000\u0001\u0000", "II*\u0000"};
        for (int i = 0; i < magics.length; i++) {
            byte[] body = concat(magics[i].getBytes(StandardCharsets.ISO_8859_1), java.util.Arrays.copyOfRange(jpeg, 2, jpeg.length));
            files.put("wrong-magic-" + i + ".jpg", body);
            files.put("wrong-magic-" + i + ".png", concat(magics[i].getBytes(StandardCharsets.ISO_8859_1), png));
        }
        files.put("zero-bytes.jpg", new byte[0]);
        files.put("zero-bytes.png", new byte[0]);
        files.put("one-byte.jpg", new byte[] {(byte) 0xff});
        files.put("soi-only.jpg", new byte[] {(byte) 0xff, (byte) 0xd8});
        files.put("png-signature-only.png", java.util.Arrays.copyOf(png, 8));
        files.put("text-named.jpg", "Dear investigator, this is not a photo.\n".repeat(20).getBytes(StandardCharsets.UTF_8));
        files.put("html-named.png", "<html><script>alert(1)</script></html>".getBytes(StandardCharsets.UTF_8));
        files.put("polyglot-jpeg-then-zip.jpg", concat(jpeg, zipLike(random)));
        files.put("polyglot-png-then-html.png", concat(png, "<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8)));
        files.put("polyglot-png-then-jpeg.png", concat(png, jpeg));
        for (int[] size : new int[][] {{100_000, 100_000}, {65_535, 65_535}, {1, 2_000_000_000}, {0, 0}, {-1, 10}}) {
            files.put("huge-declared-" + size[0] + "x" + size[1] + ".png", TestImages.pngClaiming(size[0], size[1]));
        }
        files.put("jpeg-sof-claims-65535x65535.jpg", jpegClaiming(jpeg, 65_535, 65_535));
        files.put("jpeg-sof-claims-0x0.jpg", jpegClaiming(jpeg, 0, 0));
        for (int i = 0; i < 10; i++) {
            files.put("exif-garbage-" + i + ".jpg", TestImages.withSegment(jpeg, 0xe1, concat("Exif\u0000\u0000".getBytes(StandardCharsets.ISO_8859_1),
                    randomBytes(random, 16 + random.nextInt(2000)))));
            files.put("icc-garbage-" + i + ".jpg", TestImages.withSegment(jpeg, 0xe2, concat("ICC_PROFILE\u0000\u0001\u0001".getBytes(
                    StandardCharsets.ISO_8859_1), randomBytes(random, 16 + random.nextInt(2000)))));
        }
        files.put("exif-orientation-99.jpg", TestImages.withSegment(jpeg, 0xe1, TestImages.exifOrientation(99)));
        files.put("random-noise.jpg", randomBytes(random, 5000));
        files.put("random-noise.png", randomBytes(random, 5000));
        return files;
    }

    private static byte[] flipped(byte[] original, Random random, int flips) {
        byte[] copy = original.clone();
        for (int i = 0; i < flips; i++) {
            int at = 2 + random.nextInt(copy.length - 2); // keep the magic number, so the decoder is the one that must cope
            copy[at] ^= (byte) (1 << random.nextInt(8));
        }
        return copy;
    }

    /** The JPEG with its first start-of-frame's height and width replaced. */
    private static byte[] jpegClaiming(byte[] jpeg, int width, int height) {
        byte[] copy = jpeg.clone();
        for (int i = 2; i + 8 < copy.length; i++) {
            if ((copy[i] & 0xff) == 0xff && ((copy[i + 1] & 0xff) == 0xc0 || (copy[i + 1] & 0xff) == 0xc2)) {
                copy[i + 5] = (byte) (height >> 8);
                copy[i + 6] = (byte) height;
                copy[i + 7] = (byte) (width >> 8);
                copy[i + 8] = (byte) width;
                return copy;
            }
        }
        throw new IllegalStateException("no start-of-frame in the generated JPEG");
    }

    private static byte[] zipLike(Random random) {
        return concat("PK\u0003\u0004".getBytes(StandardCharsets.ISO_8859_1), randomBytes(random, 300));
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
