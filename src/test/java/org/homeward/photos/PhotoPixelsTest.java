package org.homeward.photos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import javax.imageio.ImageIO;
import org.homeward.testing.Allocations;
import org.homeward.testing.TestImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A region or an overview of a photo holds exactly the photo's own pixels, in every EXIF orientation, and reading one
 * from a large photo allocates a small part of what decoding it whole does.
 */
class PhotoPixelsTest {

    /** 40 megapixels: over the worker's whole-decode limit (16 MP), under the upload limit (50 MP). */
    private static byte[] large;

    @BeforeAll
    static void makeLargePhoto() throws IOException {
        large = jpeg(noise(7300, 5480, 7));
    }

    @ParameterizedTest(name = "orientation {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void regionsAndOverviewsHoldThePhotosOwnPixels(int orientation) throws IOException {
        byte[] bytes = TestImages.withSegment(jpeg(noise(301, 203, orientation)), 0xe1, TestImages.exifOrientation(orientation));
        PhotoPixels photo = PhotoPixels.open(bytes, Long.MAX_VALUE);
        BufferedImage whole = photo.whole();
        assertEquals(photo.width(), whole.getWidth());
        assertEquals(photo.height(), whole.getHeight());
        assertEquals(orientation >= 5 ? 203 : 301, photo.width(), "the size is the upright photo's");

        for (int step : new int[] {1, 2, 3, 5}) {
            Rectangle region = new Rectangle(17, 23, Math.min(140, photo.width() - 30), Math.min(120, photo.height() - 30));
            assertSameAsWhole(whole, photo.sample(region, step), "region, step " + step);
            assertSameAsWhole(whole, photo.sample(new Rectangle(0, 0, photo.width(), photo.height()), step),
                    "whole photo, step " + step);
        }
        PhotoPixels.Sampled overview = photo.overview(5000);
        assertTrue(overview.image().getWidth() * overview.image().getHeight() <= 5000, "an overview keeps to its size");
        assertSameAsWhole(whole, overview, "overview");
    }

    @Test
    void aRegionBeyondTheEdgeIsClippedAndOneOutsideIsRefused() {
        PhotoPixels photo = PhotoPixels.open(TestImages.generated("png", 120, 80, 3), Long.MAX_VALUE);
        PhotoPixels.Sampled part = photo.sample(new Rectangle(100, 60, 50, 50), 1);
        assertEquals(20, part.image().getWidth());
        assertEquals(20, part.image().getHeight());
        assertThrows(IllegalArgumentException.class, () -> photo.sample(new Rectangle(200, 0, 10, 10), 1));
    }

    @Test
    void theHeaderIsReadWithoutDecodingAndABombIsRefused() {
        PhotoPixels photo = PhotoPixels.open(large, 50_000_000);
        assertEquals(7300, photo.width());
        assertEquals(5480, photo.height());
        PhotoRejected refused = assertThrows(PhotoRejected.class, () -> PhotoPixels.open(large, 20_000_000));
        assertTrue(refused.getMessage().contains("7300"), refused.getMessage());
    }

    @Test
    void readingPartsOfALargePhotoAllocatesAFractionOfTheWholeDecode() {
        PhotoPixels photo = PhotoPixels.open(large, 50_000_000);
        long whole = Allocations.during(photo::whole);
        long overview = Allocations.during(() -> photo.overview(4_000_000));
        long region = Allocations.during(() -> photo.sample(new Rectangle(3000, 2000, 900, 900), 1));
        long verify = Allocations.during(photo::verify);
        System.out.printf("FIGURES large photo 7300x5480 (40 MP) %s, %d cores: whole decode %d MB, overview to 4 MP %d MB,"
                + " 900x900 region %d MB, upload check %d MB allocated%n", System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(), whole >> 20, overview >> 20, region >> 20, verify >> 20);
        // The whole photo as packed RGB is 160 MB; the parts are bounded by their own size and the decoder's buffers.
        assertTrue(whole >= 160L << 20, "the whole decode holds every pixel: " + (whole >> 20) + " MB");
        assertTrue(overview < 40L << 20, "an overview of 4 MP allocates under 40 MB: " + (overview >> 20) + " MB");
        assertTrue(region < 24L << 20, "a face region allocates under 24 MB: " + (region >> 20) + " MB");
        assertTrue(verify < 24L << 20, "checking an upload allocates under 24 MB: " + (verify >> 20) + " MB");
    }

    private static void assertSameAsWhole(BufferedImage whole, PhotoPixels.Sampled part, String what) {
        BufferedImage img = part.image();
        for (int j = 0; j < img.getHeight(); j++) {
            for (int i = 0; i < img.getWidth(); i++) {
                int x = (int) part.toPhotoX(i);
                int y = (int) part.toPhotoY(j);
                if (whole.getRGB(x, y) != img.getRGB(i, j)) {
                    throw new AssertionError(what + ": pixel (" + i + ", " + j + ") is not the photo's (" + x + ", " + y + ")");
                }
            }
        }
    }

    /** Blocks of random colour: a JPEG of it keeps edges everywhere, so a pixel out of place shows. */
    private static BufferedImage noise(int w, int h, long seed) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Random random = new Random(seed);
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            if (y % 4 == 0) {
                for (int x = 0; x < w; x++) {
                    row[x] = x % 4 == 0 ? random.nextInt(0xffffff) : row[x - 1];
                }
            }
            img.setRGB(0, y, w, 1, row, 0, w);
        }
        return img;
    }

    private static byte[] jpeg(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", out);
        return out.toByteArray();
    }
}
