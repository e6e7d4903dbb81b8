package org.homeward.matching;

/**
 * The calibration formula from a case score to a likelihood ratio, shared by the app
 * ({@link EvidenceCalibration}) and by the fitting command ({@code deploy/homeward eval calibrate}), so that the
 * figures measured on held-out identities are those of the LRs investigators see:
 * <pre>
 *   log10 LR = min(max(intercept + slope * score, minLog10), maxLog10)
 * </pre>
 * A positive slope makes the LR increase with the score; the bounds (log10 of the smallest and largest LR the
 * fitting data can support, see docs/evidence.md) make it constant beyond them. Immutable.
 */
public record EvidenceMapping(double intercept, double slope, double minLog10, double maxLog10) {

    public EvidenceMapping {
        if (!Double.isFinite(intercept) || !Double.isFinite(slope) || !Double.isFinite(minLog10) || !Double.isFinite(maxLog10)) {
            throw new IllegalArgumentException("calibration parameters must be finite numbers");
        }
        if (!(slope > 0)) {
            throw new IllegalArgumentException("the slope must be positive (a higher score is stronger evidence), not " + slope);
        }
        if (!(minLog10 <= 0 && maxLog10 >= 0)) {
            throw new IllegalArgumentException("the bounds must enclose LR 1: log10 bounds [" + minLog10 + ", " + maxLog10 + "]");
        }
    }

    /** The bounded log10 likelihood ratio of a score; the score must be a number. */
    public double log10Lr(double score) {
        if (Double.isNaN(score)) {
            throw new IllegalArgumentException("the score is NaN (a case none of whose faces counted has no score)");
        }
        return Math.min(Math.max(intercept + slope * score, minLog10), maxLog10);
    }

    /** The same mapping without its bounds: what the bounds are computed from. */
    public double unboundedLog10Lr(double score) {
        return intercept + slope * score;
    }

    public EvidenceMapping withBounds(double min, double max) {
        return new EvidenceMapping(intercept, slope, min, max);
    }
}
