package org.homeward.models.dlib;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** The fast pixel reader agrees with getRGB on plain, cropped (getSubimage) and non-int images. */
class RgbPixelsTest {

    @Test
    void agreesWithGetRgb() {
        BufferedImage img = new BufferedImage(37, 23, BufferedImage.TYPE_INT_RGB);
        BufferedImage bgr = new BufferedImage(37, 23, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 23; y++) {
            for (int x = 0; x < 37; x++) {
                int v = (x * 7) << 16 | (y * 11) << 8 | ((x * y) & 0xff);
                img.setRGB(x, y, v);
                bgr.setRGB(x, y, v);
            }
        }
        for (BufferedImage im : new BufferedImage[] {img, img.getSubimage(5, 3, 20, 15), bgr, bgr.getSubimage(2, 1, 9, 9)}) {
            RgbPixels p = new RgbPixels(im);
            int[] row = new int[im.getWidth()];
            for (int y = 0; y < im.getHeight(); y++) {
                p.row(0, y, im.getWidth(), row, 0);
                for (int x = 0; x < im.getWidth(); x++) {
                    assertEquals(im.getRGB(x, y) & 0xffffff, p.get(x, y), x + "," + y);
                    assertEquals(im.getRGB(x, y) & 0xffffff, row[x], x + "," + y);
                }
            }
        }
    }
}
