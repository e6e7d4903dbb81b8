package org.homeward.tools.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleBiFunction;
import org.homeward.faces.index.EmbeddingKind;
import org.homeward.matching.CaseRanker;
import org.homeward.models.Similarity;

/**
 * The tracing protocol: the situation of a long-missing child found as an adult. Every identity's photos at
 * age &lt;= child-max-age form one case (the photos a family would bring); every photo at age &gt;=
 * adult-min-age of an identity that has a case is a probe (a sighting); distractor identities add cases that
 * no probe belongs to. Each probe is searched against every case with {@link CaseRanker}, the app's own
 * aggregation, and its true case's rank is recorded, counting ties against it.
 */
final class Tracing {

    /** Prefix of distractor cases' keys, so a distractor never shares a key with a manifest identity. */
    static final String DISTRACTOR = "distractor:";

    /** A probe: an adult photo and the key of its true case. */
    record Probe(Manifest.Photo photo, String caseId) {
    }

    /**
     * One probe's outcome: rank of its true case (0 = missed: no face on the probe or none in its case),
     * the true case's score, every other case's score, and the age gap to the case's oldest childhood photo
     * with a face.
     */
    record ProbeResult(Probe probe, int rank, double trueScore, double[] otherScores, Double ageGap) {
    }

    private final Map<String, List<Manifest.Photo>> cases;
    private final List<Probe> probes;
    private final int distractorCases;

    private Tracing(Map<String, List<Manifest.Photo>> cases, List<Probe> probes, int distractorCases) {
        this.cases = cases;
        this.probes = probes;
        this.distractorCases = distractorCases;
    }

    /** Builds the cases and probes; an input that gives no case or no probe is an error. */
    static Tracing of(Manifest manifest, Manifest distractors, double childMaxAge, double adultMinAge) {
        if (childMaxAge >= adultMinAge) {
            throw new EvalInputError("--child-max-age (" + childMaxAge + ") must be below --adult-min-age (" + adultMinAge + ")");
        }
        Map<String, List<Manifest.Photo>> cases = new LinkedHashMap<>();
        List<Probe> probes = new ArrayList<>();
        for (Map.Entry<String, List<Manifest.Photo>> e : manifest.byIdentity().entrySet()) {
            List<Manifest.Photo> children = e.getValue().stream().filter(p -> p.age() <= childMaxAge).toList();
            if (!children.isEmpty()) {
                cases.put(e.getKey(), children);
                for (Manifest.Photo p : e.getValue()) {
                    if (p.age() >= adultMinAge) {
                        probes.add(new Probe(p, e.getKey()));
                    }
                }
            }
        }
        if (cases.isEmpty()) {
            throw new EvalInputError(manifest.csv() + ": no identity has a photo at age <= " + fmt(childMaxAge)
                    + ", so there is no case to search (the class of childhood photos is empty)");
        }
        if (probes.isEmpty()) {
            throw new EvalInputError(manifest.csv() + ": no identity with a childhood photo (age <= " + fmt(childMaxAge)
                    + ") has a photo at age >= " + fmt(adultMinAge) + ", so there is no probe (the class of adult photos is empty)");
        }
        int distractorCases = 0;
        if (distractors != null) {
            for (Map.Entry<String, List<Manifest.Photo>> e : distractors.byIdentity().entrySet()) {
                cases.put(DISTRACTOR + e.getKey(), e.getValue());
                distractorCases++;
            }
        }
        return new Tracing(cases, probes, distractorCases);
    }

    static String fmt(double years) {
        return years == Math.rint(years) ? Long.toString((long) years) : Double.toString(years);
    }

    Map<String, List<Manifest.Photo>> cases() {
        return cases;
    }

    List<Probe> probes() {
        return probes;
    }

    int distractorCases() {
        return distractorCases;
    }

    /** Every photo the protocol needs, case photos first. */
    Set<Path> files() {
        Set<Path> files = new LinkedHashSet<>();
        cases.values().forEach(list -> list.forEach(p -> files.add(p.file())));
        probes.forEach(p -> files.add(p.photo().file()));
        return files;
    }

    /**
     * Searches every probe. {@code vectorOf} gives a photo's searchable vector (null: no usable face);
     * {@code caseFaces} chooses which case photos take part (all, or one age band).
     */
    List<ProbeResult> run(Function<Path, float[]> vectorOf, CaseRanker ranker, Predicate<Manifest.Photo> caseFaces) {
        return run(probes, p -> vectorOf, ranker, caseFaces);
    }

    /** How one probe is searched: each photo's vector, and what a case face's similarity becomes before ranking. */
    interface Scoring {
        float[] vector(Path file);

        /** The face score given to CaseRanker: the cosine similarity itself, unless normalised (cross-validation). */
        default double score(Manifest.Photo caseFace, double similarity) {
            return similarity;
        }

        /**
         * Further scored faces standing for a case photo beside the photo itself: its age projections
         * (ProjectionTracing); none by default.
         */
        default List<CaseRanker.FaceScore> projections(Manifest.Photo caseFace, float[] probe) {
            return List.of();
        }

        /** The probe's age as the search knows it (its estimate), for the ranking's projection rules; null by default. */
        default Float probeAge(Probe probe) {
            return null;
        }

        static Scoring of(Function<Path, float[]> vectors) {
            return vectors::apply;
        }

        /** Vectors, and a case face's similarity made into its score by {@code normalise} (cohort normalisation). */
        static Scoring normalised(Function<Path, float[]> vectors,
                ToDoubleBiFunction<Manifest.Photo, Double> normalise) {
            return new Scoring() {
                @Override
                public float[] vector(Path file) {
                    return vectors.apply(file);
                }

                @Override
                public double score(Manifest.Photo caseFace, double similarity) {
                    return normalise.applyAsDouble(caseFace, similarity);
                }
            };
        }
    }

    /**
     * As {@link #run(Function, CaseRanker, Predicate)}, for some of the probes, each with its own scoring (in
     * cross-validation, the transform fitted without the probe's identity embeds the probe and every case).
     */
    List<ProbeResult> run(List<Probe> which, Function<Probe, Function<Path, float[]>> vectorsFor, CaseRanker ranker,
            Predicate<Manifest.Photo> caseFaces) {
        return runScored(which, probe -> Scoring.of(vectorsFor.apply(probe)), ranker, caseFaces);
    }

    List<ProbeResult> runScored(List<Probe> which, Function<Probe, Scoring> scoringFor, CaseRanker ranker,
            Predicate<Manifest.Photo> caseFaces) {
        List<ProbeResult> results = new ArrayList<>();
        for (Probe probe : which) {
            Scoring scoring = scoringFor.apply(probe);
            Function<Path, float[]> vectorOf = scoring::vector;
            List<Manifest.Photo> own = cases.get(probe.caseId()).stream()
                    .filter(caseFaces).filter(p -> vectorOf.apply(p.file()) != null).toList();
            if (cases.get(probe.caseId()).stream().noneMatch(caseFaces)) {
                continue; // the case has no photo in this selection: the probe is not part of it
            }
            Double gap = own.isEmpty() ? null
                    : probe.photo().age() - own.stream().mapToDouble(Manifest.Photo::age).max().orElseThrow();
            float[] q = vectorOf.apply(probe.photo().file());
            if (q == null) {
                results.add(new ProbeResult(probe, 0, Double.NaN, new double[0], gap));
                continue;
            }
            Map<String, List<CaseRanker.FaceScore>> scores = new LinkedHashMap<>();
            for (Map.Entry<String, List<Manifest.Photo>> c : cases.entrySet()) {
                List<CaseRanker.FaceScore> faces = new ArrayList<>();
                for (Manifest.Photo p : c.getValue()) {
                    float[] v = caseFaces.test(p) ? vectorOf.apply(p.file()) : null;
                    if (v != null) {
                        faces.add(new CaseRanker.FaceScore(scoring.score(p, Similarity.cosine(q, v)), EmbeddingKind.ORIGINAL,
                                p.age() == null ? null : p.age().floatValue()));
                        faces.addAll(scoring.projections(p, q));
                    }
                }
                if (!faces.isEmpty()) {
                    scores.put(c.getKey(), faces);
                }
            }
            List<CaseRanker.RankedCase<String>> ranking = ranker.rank(scores, scoring.probeAge(probe));
            int rank = CaseRanker.pessimisticRank(ranking, probe.caseId());
            double trueScore = Double.NaN;
            double[] others = new double[Math.max(0, ranking.size() - (rank > 0 ? 1 : 0))];
            int k = 0;
            for (CaseRanker.RankedCase<String> r : ranking) {
                if (r.caseId().equals(probe.caseId())) {
                    trueScore = r.score();
                } else {
                    others[k++] = r.score();
                }
            }
            results.add(new ProbeResult(probe, rank, trueScore, others, gap));
        }
        return results;
    }

    static int[] ranks(List<ProbeResult> results) {
        return results.stream().mapToInt(ProbeResult::rank).toArray();
    }
}
