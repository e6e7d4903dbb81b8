package org.homeward.tools.eval;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.homeward.models.Similarity;

/**
 * Adaptive cohort normalisation of face scores (the s-norm family): a case face that resembles every adult
 * crowds the top of every search, so its similarity to a probe is judged against its similarities to a
 * cohort of adult faces of other people: {@code s - mean} ("mean") or {@code (s - mean) / sd} ("z") over its
 * {@code top} most similar cohort faces. The cohort holds no probe: nothing is fitted on the searched people.
 */
final class CohortNorm {

    enum Mode { mean, z }

    private record Stats(double mean, double sd) {
    }

    private final Mode mode;
    private final Map<Path, Stats> byFace = new HashMap<>();

    private CohortNorm(Mode mode) {
        this.mode = mode;
    }

    /**
     * The statistics of every case face ({@code faces}, with its identity) against the cohort's vectors, leaving
     * out cohort photos of the face's own identity.
     */
    static CohortNorm of(Mode mode, int top, List<Manifest.Photo> caseFaces, List<Manifest.Photo> cohort,
            Function<Path, float[]> vectorOf) {
        CohortNorm norm = new CohortNorm(mode);
        for (Manifest.Photo face : caseFaces) {
            float[] v = vectorOf.apply(face.file());
            if (v == null || norm.byFace.containsKey(face.file())) {
                continue;
            }
            double[] sims = cohort.stream().filter(c -> !c.identity().equals(face.identity()))
                    .map(c -> vectorOf.apply(c.file())).filter(c -> c != null)
                    .mapToDouble(c -> Similarity.cosine(v, c)).toArray();
            if (sims.length == 0) {
                continue;
            }
            Arrays.sort(sims);
            int k = Math.min(top, sims.length);
            double sum = 0;
            for (int i = sims.length - k; i < sims.length; i++) {
                sum += sims[i];
            }
            double mean = sum / k;
            double sq = 0;
            for (int i = sims.length - k; i < sims.length; i++) {
                sq += (sims[i] - mean) * (sims[i] - mean);
            }
            norm.byFace.put(face.file(), new Stats(mean, Math.max(1e-3, Math.sqrt(sq / k))));
        }
        return norm;
    }

    /** The normalised score of {@code caseFace} for a probe it is {@code similarity} alike. */
    double score(Manifest.Photo caseFace, double similarity) {
        Stats s = byFace.get(caseFace.file());
        if (s == null) {
            return similarity;
        }
        // z-scores are rescaled by a typical cohort spread so the ranking's soft-max temperature keeps its meaning
        return mode == Mode.mean ? similarity - s.mean : (similarity - s.mean) / s.sd * 0.05;
    }
}
