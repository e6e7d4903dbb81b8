package org.homeward.matching;

import java.nio.file.Path;
import java.util.Optional;

/** TEMPORARY stand-in until the calibration package lands (same API); replaced at merge. */
public final class EvidenceCalibration {
    public enum Band {
        weak;

        public String label() {
            return name();
        }
    }

    public record Evidence(double likelihoodRatio, Band band) {
        public double log10() {
            return Math.log10(likelihoodRatio);
        }
    }

    public static String labelOf(String band) {
        return band;
    }

    public static EvidenceCalibration open(Path dir) {
        throw new UnsupportedOperationException();
    }

    public static Optional<EvidenceCalibration> forModel(Path modelsDir, String modelId) {
        return Optional.empty();
    }

    public String id() {
        return "";
    }

    public String modelId() {
        return "";
    }

    public Evidence evidence(double caseScore) {
        return new Evidence(1, Band.weak);
    }
}
