package org.homeward.projections.imaging;

import java.util.ArrayList;
import java.util.List;

/**
 * A photo and its halvings, so that a face drawn much smaller than it appears in the photo is sampled from a
 * level near its own scale: bilinear sampling straight from a 12-megapixel photo would alias.
 */
public final class PhotoPyramid {

    private final List<ColourImage> levels = new ArrayList<>();

    public PhotoPyramid(ColourImage photo) {
        levels.add(photo);
    }

    /**
     * Samples the photo at photo point (x, y) for an output that shows it at {@code scale} output pixels per
     * photo pixel.
     */
    public void sample(double x, double y, double scale, float[] out) {
        int level = 0;
        double s = scale;
        while (s < 0.5 && Math.min(level(level).width(), level(level).height()) > 8) {
            s *= 2;
            level++;
        }
        ColourImage image = level(level);
        double f = 1 << level;
        // pixel centres: photo pixel k covers level pixel (k + 0.5) / f - 0.5
        image.sample((x + 0.5) / f - 0.5, (y + 0.5) / f - 0.5, out);
    }

    private synchronized ColourImage level(int k) {
        while (levels.size() <= k) {
            levels.add(levels.get(levels.size() - 1).halved());
        }
        return levels.get(k);
    }
}
