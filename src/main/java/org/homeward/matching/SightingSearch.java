package org.homeward.matching;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;
import org.homeward.cases.CaseFile;
import org.homeward.cases.Sex;
import org.homeward.faces.ModelBundle;
import org.homeward.faces.index.FaceIndex.Neighbour;
import org.homeward.faces.index.FaceIndex;
import org.homeward.matching.CaseRanker.FaceScore;
import org.homeward.matching.CaseRanker.RankedCase;
import org.homeward.models.EmbeddingTransform;
import org.homeward.models.ScoreCohort;

/**
 * One sighting face against every open case: the k nearest faces in pgvector name the candidate cases, all
 * searchable faces of those cases are scored, {@link CaseRanker} ranks them (the same code the evaluation
 * measures; projections counted as the projection package says for the model), {@link Plausibility} removes what cannot be true, and the calibration turns each
 * case score into a likelihood ratio. The listed candidates are stored; those a person already reviewed
 * keep their verdicts and are never removed.
 */
@ApplicationScoped
public class SightingSearch {

    /**
     * Faces fetched from the index: enough to name every case within reach of the best ones, with room for the
     * cohort normalisation to lift a case whose faces are not among the very nearest (docs/accuracy.md).
     */
    static final int NEIGHBOURS = 300;
    /** Candidates listed per sighting face. */
    public static final int LISTED = 20;

    @Inject
    FaceIndex index;

    @Inject
    ModelBundle models;

    @Inject
    Evidence evidence;

    @Inject
    ProjectionSearchPolicy projections;

    /** The sighting face to search with, and what is known of the sighting. */
    public record Probe(long sightingId, long faceId, LocalDate seenOn, Sex sex, Float estimatedAge) {
    }

    /** What the search did: candidates listed, cases excluded by plausibility, and the cases newly listed. */
    public record Outcome(int listed, int excluded, List<Long> newCases) {
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public Outcome search(Probe probe, Candidate.FoundBy foundBy) {
        String modelId = models.searchModelId();
        EvidenceCalibration calibration = evidence.calibration();
        float[] query = index.vectorOf(probe.faceId(), modelId).orElse(null);
        if (query == null) {
            return new Outcome(0, 0, List.of());
        }
        Set<Long> caseIds = new LinkedHashSet<>();
        for (Neighbour n : index.nearest(modelId, query, NEIGHBOURS, FaceIndex.Scope.OPEN_CASES)) {
            caseIds.add(n.ownerId());
        }
        List<Neighbour> faces = index.caseFaces(modelId, query, caseIds);
        ScoreCohort cohort = models.transform().flatMap(EmbeddingTransform::cohort).orElse(null);
        Map<Long, List<FaceScore>> byCase = CaseRanker.group(faces, Neighbour::ownerId, n -> score(n, cohort));
        Map<Long, Neighbour> bestFace = new HashMap<>();
        for (Neighbour n : faces) {
            bestFace.merge(n.ownerId(), n, (a, b) -> a.distance() <= b.distance() ? a : b);
        }
        // How projections count is measured per model (docs/projections.md); originals always count as DEFAULT.
        CaseRanker ranker = new CaseRanker(projections.forModel(modelId, CaseRanker.Policy.DEFAULT));
        List<RankedCase<Long>> ranking = ranker.rank(byCase, probe.estimatedAge());

        Plausibility.Sighted sighted = new Plausibility.Sighted(probe.seenOn(), probe.sex(), probe.estimatedAge(),
                ageErrorAt());
        Map<Long, Candidate> existing = new HashMap<>();
        for (Candidate c : Candidate.<Candidate>list("sightingFaceId", probe.faceId())) {
            existing.put(c.caseId, c);
        }
        List<Long> newCases = new ArrayList<>();
        Set<Long> listedCases = new LinkedHashSet<>();
        int excluded = 0;
        for (RankedCase<Long> ranked : ranking) {
            CaseFile file = CaseFile.findById(ranked.caseId());
            Plausibility.Verdict verdict = Plausibility.check(file, sighted);
            if (verdict.excluded()) {
                excluded++;
                continue;
            }
            if (listedCases.size() == LISTED) {
                continue;
            }
            listedCases.add(ranked.caseId());
            Candidate c = existing.get(ranked.caseId());
            if (c == null) {
                c = new Candidate();
                c.sightingId = probe.sightingId();
                c.sightingFaceId = probe.faceId();
                c.caseId = ranked.caseId();
                c.foundBy = foundBy;
                c.foundAt = Instant.now();
                newCases.add(ranked.caseId());
            } else if (c.state != Candidate.State.unreviewed) {
                // A reviewed candidate keeps the evidence its reviewers saw; only its place moves.
                c.position = listedCases.size();
                continue;
            }
            EvidenceCalibration.Evidence e = calibration.evidence(ranked.score());
            c.position = listedCases.size();
            c.score = (float) ranked.score();
            c.bestSimilarity = (float) (1 - bestFace.get(ranked.caseId()).distance());
            c.bestFaceId = bestFace.get(ranked.caseId()).faceId();
            c.facesCompared = ranked.faces();
            c.likelihoodRatio = e.likelihoodRatio();
            c.evidenceBand = e.band();
            c.cautions = verdict.cautions().toArray(String[]::new);
            c.modelId = modelId;
            c.calibrationId = calibration.id();
            c.persistAndFlush();
        }
        // Unreviewed candidates that no longer make the list (a case closed, a date corrected) go; reviewed
        // ones stay, since people's verdicts are never thrown away.
        for (Candidate c : existing.values()) {
            if (!listedCases.contains(c.caseId) && c.state == Candidate.State.unreviewed) {
                c.delete();
            }
        }
        return new Outcome(listedCases.size(), excluded, newCases);
    }

    /** A case face's score: its cosine similarity, less its likeness to adults in general when the model has a cohort. */
    static FaceScore score(Neighbour n, ScoreCohort cohort) {
        FaceScore plain = FaceScore.ofCosineDistance(n.distance(), n.kind(), n.showsAge());
        return cohort == null ? plain
                : new FaceScore(cohort.normalise(plain.similarity(), n.vector()), plain.kind(), plain.showsAge());
    }

    private DoubleUnaryOperator ageErrorAt() {
        return models.ageEstimator().<DoubleUnaryOperator>map(a -> a::uncertaintyAt).orElse(null);
    }
}
