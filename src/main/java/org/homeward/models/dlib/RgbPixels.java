package org.homeward.models.dlib;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;

/**
 * Reads 0xRRGGBB pixels of a BufferedImage: straight from the int buffer for TYPE_INT_RGB (what
 * ImageDecoder gives), through getRGB otherwise. getRGB converts every pixel through the colour
 * model, which made the shape predictor's 12,000 single-pixel reads its main cost.
 */
final class RgbPixels {

    private final BufferedImage image;
    private final int[] data;
    private final int offset;
    private final int stride;

    RgbPixels(BufferedImage image) {
        this.image = image;
        Raster raster = image.getRaster();
        if (image.getType() == BufferedImage.TYPE_INT_RGB
                && raster.getDataBuffer() instanceof DataBufferInt buffer
                && buffer.getNumBanks() == 1
                && raster.getSampleModel() instanceof SinglePixelPackedSampleModel sm) {
            // reading the array directly; a child raster (getSubimage) is shifted by its sample model translation
            this.data = buffer.getData();
            this.stride = sm.getScanlineStride();
            this.offset = buffer.getOffset() - raster.getSampleModelTranslateY() * stride
                    - raster.getSampleModelTranslateX();
        } else {
            this.data = null;
            this.stride = 0;
            this.offset = 0;
        }
    }

    /** The pixel at (x, y), which must lie inside the image. */
    int get(int x, int y) {
        return data != null ? data[offset + y * stride + x] & 0xffffff : image.getRGB(x, y) & 0xffffff;
    }

    /** {@code w} pixels of row {@code y} from column {@code x} into {@code out}. */
    void row(int x, int y, int w, int[] out, int outOffset) {
        if (data != null) {
            int at = offset + y * stride + x;
            for (int i = 0; i < w; i++) {
                out[outOffset + i] = data[at + i] & 0xffffff;
            }
        } else {
            image.getRGB(x, y, w, 1, out, outOffset, w);
            for (int i = 0; i < w; i++) {
                out[outOffset + i] &= 0xffffff;
            }
        }
    }
}
