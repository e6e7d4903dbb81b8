package org.homeward.models.dlib;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.homeward.models.FaceBox;

/** dlib's greedy non-maximum suppression for MMOD detections, with its test_box_overlap rule. */
final class NonMaxSuppression {

    private final double iouThresh;
    private final double percentCoveredThresh;

    NonMaxSuppression(double iouThresh, double percentCoveredThresh) {
        this.iouThresh = iouThresh;
        this.percentCoveredThresh = percentCoveredThresh;
    }

    /** Keeps the best boxes that overlap no better box already kept; best score first. */
    List<FaceBox> apply(List<FaceBox> candidates) {
        List<FaceBox> sorted = new ArrayList<>(candidates);
        // stable: equal scores keep their row-major order (dlib's std::sort leaves ties unspecified)
        sorted.sort(Comparator.comparingDouble((FaceBox b) -> b.score()).reversed());
        List<FaceBox> kept = new ArrayList<>();
        for (FaceBox box : sorted) {
            boolean overlaps = false;
            for (FaceBox k : kept) {
                if (overlaps(k, box)) {
                    overlaps = true;
                    break;
                }
            }
            if (!overlaps) {
                kept.add(box);
            }
        }
        return kept;
    }

    /**
     * dlib test_box_overlap: inner = intersection area, outer = area of the smallest rectangle holding both
     * (not the union), areas of inclusive integer rectangles.
     */
    boolean overlaps(FaceBox a, FaceBox b) {
        long il = Math.max(a.left(), b.left());
        long it = Math.max(a.top(), b.top());
        long ir = Math.min(a.right(), b.right());
        long ib = Math.min(a.bottom(), b.bottom());
        if (ir < il || ib < it) {
            return false;
        }
        double inner = (double) ((ir - il + 1) * (ib - it + 1));
        long ol = Math.min(a.left(), b.left());
        long ot = Math.min(a.top(), b.top());
        long or = Math.max(a.right(), b.right());
        long ob = Math.max(a.bottom(), b.bottom());
        double outer = (double) ((or - ol + 1) * (ob - ot + 1));
        double areaA = (double) ((long) a.width() * a.height());
        double areaB = (double) ((long) b.width() * b.height());
        return inner / outer > iouThresh || inner / areaA > percentCoveredThresh || inner / areaB > percentCoveredThresh;
    }
}
