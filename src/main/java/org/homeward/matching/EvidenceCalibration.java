package org.homeward.matching;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.homeward.models.ModelPackage;
import org.homeward.models.ModelUnavailable;

/**
 * Turns a candidate case's score into the evidence an investigator is shown: a likelihood ratio and its verbal
 * band, never a bare cosine. A calibration is a versioned model package (task {@value #TASK}) fitted by
 * {@code deploy/homeward eval calibrate} on FG-NET dev for one search model (raw or transformed vectors), on case
 * scores exactly as {@link CaseRanker#DEFAULT} computes them; docs/evidence.md gives the method, the figures and
 * the limits. The LR speaks of the faces only: it is not a probability that the sighting is the child.
 * Immutable, thread-safe.
 */
public final class EvidenceCalibration {

    public static final String TASK = "evidence-calibration";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final String version;
    private final String modelId;
    private final EvidenceMapping mapping;

    public EvidenceCalibration(String name, String version, String modelId, EvidenceMapping mapping) {
        this.name = requireText(name, "name");
        this.version = requireText(version, "version");
        this.modelId = requireText(modelId, "modelId");
        this.mapping = Objects.requireNonNull(mapping, "mapping");
    }

    /**
     * Opens a calibration package: checksums verified ({@link ModelPackage#open}), the task, the parameters and
     * the case-score rule checked. A package fitted on case scores of another rule than the app's is refused,
     * because its LRs would describe scores the app does not compute.
     */
    public static EvidenceCalibration open(Path packageDir) {
        ModelPackage pkg = ModelPackage.open(packageDir);
        JsonNode m = pkg.manifest();
        String where = "model package " + pkg.name();
        JsonNode p = pkg.jsonParameters(TASK, "an evidence calibration");
        String modelId = m.path("input").path("search_model_id").asText("");
        if (modelId.isBlank()) {
            throw new ModelUnavailable(where + ": input.search_model_id is missing (which search model's scores it calibrates)");
        }
        String rule = m.path("input").path("case_score").path("rule").asText("");
        String appRule = CaseRanker.DEFAULT.policy().toString();
        if (!appRule.equals(rule)) {
            throw new ModelUnavailable(where + " was fitted on case scores by '" + rule + "', but the app ranks cases by '"
                    + appRule + "'; refit it with: deploy/homeward eval calibrate (docs/evidence.md)");
        }
        EvidenceMapping mapping;
        try {
            mapping = new EvidenceMapping(number(p, "log10_lr", "intercept", where), number(p, "log10_lr", "slope", where),
                    number(p, "bounds", "min_log10_lr", where), number(p, "bounds", "max_log10_lr", where));
        } catch (IllegalArgumentException e) {
            throw new ModelUnavailable(where + ": " + e.getMessage());
        }
        return new EvidenceCalibration(pkg.name(), pkg.version(), modelId, mapping);
    }

    /**
     * The installed calibration for a search model: the package under {@code modelsDir} whose
     * input.search_model_id equals {@code searchModelId} (the highest version when several are installed);
     * empty when there is none. A matching package that fails its checks is an error, not an absence.
     */
    public static Optional<EvidenceCalibration> forModel(Path modelsDir, String searchModelId) {
        if (!Files.isDirectory(modelsDir)) {
            return Optional.empty();
        }
        List<Candidate> candidates = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(modelsDir)) {
            for (Path dir : dirs.sorted().toList()) {
                Path manifest = dir.resolve("manifest.json");
                if (!Files.isRegularFile(manifest)) {
                    continue;
                }
                JsonNode m;
                try {
                    m = JSON.readTree(manifest.toFile());
                } catch (IOException e) {
                    continue; // not a package of ours to judge; ModelBundle reports its own damaged packages
                }
                if (TASK.equals(m.path("task").asText()) && searchModelId.equals(m.path("input").path("search_model_id").asText())) {
                    candidates.add(new Candidate(dir, m.path("version").asText("")));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + modelsDir, e);
        }
        return candidates.stream().max(Comparator.comparing(Candidate::version, EvidenceCalibration::compareVersions))
                .map(c -> open(c.dir()));
    }

    private record Candidate(Path dir, String version) {
    }

    /** Dotted versions compared number by number ("1.10.0" after "1.9.2"); text parts compared as text. */
    static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            String p = i < x.length ? x[i] : "0";
            String q = i < y.length ? y[i] : "0";
            int c = p.matches("\\d{1,9}") && q.matches("\\d{1,9}") ? Integer.compare(Integer.parseInt(p), Integer.parseInt(q))
                    : p.compareTo(q);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** "name@version": what is stored beside every candidate whose evidence this calibration gave. */
    public String id() {
        return name + "@" + version;
    }

    public String name() {
        return name;
    }

    public String version() {
        return version;
    }

    /** The search model whose case scores this calibration reads (e.g. dlib-face-embedder-v1). */
    public String modelId() {
        return modelId;
    }

    public EvidenceMapping mapping() {
        return mapping;
    }

    /** The largest likelihood ratio this calibration ever gives: beyond it the fitting data cannot vouch. */
    public double maxLikelihoodRatio() {
        return Math.pow(10, mapping.maxLog10());
    }

    /** The smallest likelihood ratio this calibration ever gives. */
    public double minLikelihoodRatio() {
        return Math.pow(10, mapping.minLog10());
    }

    /** The evidence of a case score ({@link CaseRanker#caseScore}); a NaN score (no counted face) is refused. */
    public Evidence evidence(double caseScore) {
        if (Double.isInfinite(caseScore)) {
            throw new IllegalArgumentException("the case score is infinite: " + caseScore);
        }
        return Evidence.of(Math.pow(10, mapping.log10Lr(caseScore)));
    }

    /**
     * A likelihood ratio: how many times more probable the face evidence is if the sighting face and the case's
     * childhood faces show the same person than if they show different persons; and its verbal band.
     */
    public record Evidence(double likelihoodRatio, Band band) {
        public Evidence {
            if (!(likelihoodRatio > 0) || Double.isInfinite(likelihoodRatio)) {
                throw new IllegalArgumentException("a likelihood ratio must be positive and finite, not " + likelihoodRatio);
            }
            if (band != Band.of(likelihoodRatio)) {
                throw new IllegalArgumentException("LR " + likelihoodRatio + " is in band " + Band.of(likelihoodRatio) + ", not " + band);
            }
        }

        public static Evidence of(double likelihoodRatio) {
            return new Evidence(likelihoodRatio, Band.of(likelihoodRatio));
        }

        public double log10() {
            return Math.log10(likelihoodRatio);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "LR %.3g (%s)", likelihoodRatio, band.label());
        }
    }

    /**
     * The verbal scale of the ENFSI Guideline for Evaluative Reporting in Forensic Science (2015), for LRs above 1
     * and, mirrored, below 1 (support for different persons). A band includes its boundary nearer to the
     * extreme: LR 10 is moderate support, LR 0.1 moderate support for different persons.
     */
    public enum Band {
        EXTREMELY_STRONG_DIFFERENT(0, 1e-6, "extremely strong support for different persons", "at least 1,000,000 times"),
        VERY_STRONG_DIFFERENT(1e-6, 1e-4, "very strong support for different persons", "10,000 to 1,000,000 times"),
        STRONG_DIFFERENT(1e-4, 1e-3, "strong support for different persons", "1,000 to 10,000 times"),
        MODERATELY_STRONG_DIFFERENT(1e-3, 1e-2, "moderately strong support for different persons", "100 to 1,000 times"),
        MODERATE_DIFFERENT(1e-2, 1e-1, "moderate support for different persons", "10 to 100 times"),
        WEAK_DIFFERENT(1e-1, 1, "weak support for different persons", "1 to 10 times"),
        NEUTRAL(1, 1, "no support either way", "as"),
        WEAK_SAME(1, 10, "weak support for same person", "1 to 10 times"),
        MODERATE_SAME(10, 100, "moderate support for same person", "10 to 100 times"),
        MODERATELY_STRONG_SAME(100, 1e3, "moderately strong support for same person", "100 to 1,000 times"),
        STRONG_SAME(1e3, 1e4, "strong support for same person", "1,000 to 10,000 times"),
        VERY_STRONG_SAME(1e4, 1e6, "very strong support for same person", "10,000 to 1,000,000 times"),
        EXTREMELY_STRONG_SAME(1e6, Double.POSITIVE_INFINITY, "extremely strong support for same person", "at least 1,000,000 times");

        private final double from;
        private final double to;
        private final String label;
        private final String times;

        Band(double from, double to, String label, String times) {
            this.from = from;
            this.to = to;
            this.label = label;
            this.times = times;
        }

        /** The band of a likelihood ratio (positive, finite or not). */
        public static Band of(double likelihoodRatio) {
            if (!(likelihoodRatio > 0)) {
                throw new IllegalArgumentException("a likelihood ratio must be positive, not " + likelihoodRatio);
            }
            if (likelihoodRatio == 1) {
                return NEUTRAL;
            }
            if (likelihoodRatio > 1) {
                for (int i = values().length - 1; ; i--) {
                    if (likelihoodRatio >= values()[i].from) {
                        return values()[i];
                    }
                }
            }
            for (Band b : values()) {
                if (likelihoodRatio <= b.to) {
                    return b;
                }
            }
            throw new AssertionError(likelihoodRatio);
        }

        /** The words to show, e.g. "moderate support for same person". */
        public String label() {
            return label;
        }

        /** One sentence saying what the band means, for the candidate page and the match report. */
        public String explanation() {
            if (this == NEUTRAL) {
                return "The face evidence is as probable if the sighting and the case show the same person as if they show"
                        + " different persons: it supports neither.";
            }
            boolean same = from >= 1;
            return "The face evidence is " + times + " more probable if the sighting and the case show "
                    + (same ? "the same person than if they show different persons" : "different persons than if they show the same person")
                    + ". It is not a probability that they are the same person.";
        }

        /** True for the bands that support the same person (LR above 1). */
        public boolean supportsSamePerson() {
            return from >= 1 && this != NEUTRAL;
        }
    }

    private static double number(JsonNode p, String group, String field, String where) {
        JsonNode v = p.path(group).path(field);
        if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw new ModelUnavailable(where + ": " + group + "." + field + " is not a finite number");
        }
        return v.asDouble();
    }

    private static String requireText(String s, String what) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        return s;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "EvidenceCalibration[%s for %s, LR %.3g to %.3g]", id(), modelId,
                minLikelihoodRatio(), maxLikelihoodRatio());
    }
}
