package org.homeward.faces.pipeline;

import org.homeward.faces.QualityConfig;
import org.homeward.models.Landmarks;

/** Judges whether a face can be compared at all: big enough, sharp enough, not turned too far. */
public class QualityGate {

    /** The limits a face must keep; {@link #DEFAULTS} are those of {@link QualityConfig}. */
    public record Rules(double minInterOcular, double minSharpness, double maxYaw) {
        public static final Rules DEFAULTS = new Rules(18, 8, 0.6);

        public static Rules of(QualityConfig config) {
            return new Rules(config.minInterOcular(), config.minSharpness(), config.maxYaw());
        }
    }

    private final Rules config;

    public QualityGate(Rules rules) {
        this.config = rules;
    }

    /** The measured quality of one face, and the reason it is refused (null when it passes). */
    public record Verdict(double interOcular, double sharpness, double yaw, String reason) {
        public boolean usable() {
            return reason == null;
        }
    }

    public Verdict judge(Landmarks landmarks, float[] chip, int chipSize) {
        double interOcular = landmarks.interOcular();
        double yaw = yaw(landmarks);
        double sharpness = sharpness(chip, chipSize);
        String reason = null;
        if (interOcular < config.minInterOcular()) {
            reason = String.format("face too small: %.0f px between the eyes, at least %.0f needed",
                    interOcular, config.minInterOcular());
        } else if (Math.abs(yaw) > config.maxYaw()) {
            reason = String.format("face turned too far to the side (yaw %.2f, limit %.2f)", yaw, config.maxYaw());
        } else if (sharpness < config.minSharpness()) {
            reason = String.format("face too blurred (sharpness %.1f, at least %.1f needed)",
                    sharpness, config.minSharpness());
        }
        return new Verdict(interOcular, sharpness, yaw, reason);
    }

    /** The nose's sideways offset from the midpoint of the eyes, in inter-ocular distances: 0 is frontal. */
    public static double yaw(Landmarks l) {
        double rightEyeX = (l.x()[0] + l.x()[1]) / 2;
        double rightEyeY = (l.y()[0] + l.y()[1]) / 2;
        double leftEyeX = (l.x()[2] + l.x()[3]) / 2;
        double leftEyeY = (l.y()[2] + l.y()[3]) / 2;
        double ex = rightEyeX - leftEyeX;
        double ey = rightEyeY - leftEyeY;
        double d2 = ex * ex + ey * ey;
        if (d2 == 0) {
            return 0;
        }
        // Project the nose onto the eye line: 0.5 is the midpoint between the two eyes.
        double t = ((l.x()[4] - leftEyeX) * ex + (l.y()[4] - leftEyeY) * ey) / d2;
        return (t - 0.5) * 2;
    }

    /** Variance of the 4-neighbour Laplacian over the grey chip: low for blurred faces. */
    static double sharpness(float[] chip, int size) {
        int plane = size * size;
        double sum = 0;
        double sumSq = 0;
        int n = 0;
        for (int y = 1; y < size - 1; y++) {
            for (int x = 1; x < size - 1; x++) {
                int i = y * size + x;
                double lap = 4 * grey(chip, plane, i) - grey(chip, plane, i - 1) - grey(chip, plane, i + 1)
                        - grey(chip, plane, i - size) - grey(chip, plane, i + size);
                sum += lap;
                sumSq += lap * lap;
                n++;
            }
        }
        double mean = sum / n;
        return sumSq / n - mean * mean;
    }

    private static double grey(float[] chip, int plane, int i) {
        return (chip[i] + chip[plane + i] + chip[2 * plane + i]) / 3.0;
    }
}
