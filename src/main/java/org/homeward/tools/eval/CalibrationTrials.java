package org.homeward.tools.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.homeward.faces.index.EmbeddingKind;
import org.homeward.matching.CaseRanker;
import org.homeward.models.Similarity;

/**
 * The case scores a calibration is fitted on, as the sighting search computes them: each probe of the tracing
 * protocol (an adult face) against every case (one person's childhood faces), scored by the app's
 * {@link CaseRanker} over all the case's faces. The probe's own case gives a genuine score, every other case an
 * impostor score. Each score keeps the two identities behind it, so that cross-validation can hold a person out
 * of both sides.
 */
final class CalibrationTrials {

    /** One case score: the probe photo, the probe's person, the case's person, and the score. */
    record Trial(Path probe, String probeIdentity, String caseIdentity, double score) {
        boolean genuine() {
            return probeIdentity.equals(caseIdentity);
        }

        /** Whether the held-out person is on either side. */
        boolean involves(String identity) {
            return probeIdentity.equals(identity) || caseIdentity.equals(identity);
        }
    }

    private CalibrationTrials() {
    }

    /**
     * Scores every probe with a usable face against every case that has one. {@code vectorsFor} gives, for a
     * probe, each photo's searchable vector (null: no usable face); in cross-validation it is the transform
     * fitted without the probe's person.
     */
    static List<Trial> collect(Tracing tracing, Function<Tracing.Probe, Function<Path, float[]>> vectorsFor, CaseRanker ranker) {
        List<Trial> trials = new ArrayList<>();
        for (Tracing.Probe probe : tracing.probes()) {
            Function<Path, float[]> vectorOf = vectorsFor.apply(probe);
            float[] q = vectorOf.apply(probe.photo().file());
            if (q == null) {
                continue;
            }
            for (Map.Entry<String, List<Manifest.Photo>> c : tracing.cases().entrySet()) {
                List<CaseRanker.FaceScore> faces = new ArrayList<>();
                for (Manifest.Photo p : c.getValue()) {
                    float[] v = vectorOf.apply(p.file());
                    if (v != null) {
                        faces.add(new CaseRanker.FaceScore(Similarity.cosine(q, v), EmbeddingKind.ORIGINAL,
                                p.age() == null ? null : p.age().floatValue()));
                    }
                }
                double score = ranker.caseScore(faces);
                if (!Double.isNaN(score)) {
                    trials.add(new Trial(probe.photo().file(), probe.caseId(), c.getKey(), score));
                }
            }
        }
        return trials;
    }

    static double[] scores(List<Trial> trials, boolean genuine) {
        return trials.stream().filter(t -> t.genuine() == genuine).mapToDouble(Trial::score).toArray();
    }
}
