package org.homeward.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.homeward.faces.index.EmbeddingKind;
import org.homeward.matching.CaseRanker.Aggregation;
import org.homeward.matching.CaseRanker.FaceScore;
import org.homeward.matching.CaseRanker.Policy;
import org.homeward.matching.CaseRanker.RankedCase;
import org.junit.jupiter.api.Test;

/** The one case aggregation and ranking that the app's search and the evaluation share, on hand-made scores. */
class CaseRankerTest {

    static List<FaceScore> faces(double... similarities) {
        List<FaceScore> list = new ArrayList<>();
        for (double s : similarities) {
            list.add(FaceScore.original(s));
        }
        return list;
    }

    static final CaseRanker MAX = new CaseRanker(Policy.MAX);

    @Test
    void caseScoreIsASoftMaximumByDefault() {
        assertEquals(Aggregation.SOFT_MAX, CaseRanker.DEFAULT.policy().aggregation());
        assertEquals(0.05, CaseRanker.DEFAULT.policy().temperature());
        // 0.05 * ln(mean(exp(s / 0.05))) = 0.9 + 0.05 * ln((exp(-14) + 1 + exp(-8)) / 3)
        double expected = 0.9 + 0.05 * Math.log((Math.exp(-14) + 1 + Math.exp(-8)) / 3);
        assertEquals(expected, CaseRanker.DEFAULT.caseScore(faces(0.2, 0.9, 0.5)), 1e-12);
        assertEquals(0.7, CaseRanker.DEFAULT.caseScore(faces(0.7)), 1e-12, "one face: its similarity");
        assertEquals(0.9, MAX.caseScore(faces(0.2, 0.9, 0.5)), 1e-12);
    }

    @Test
    void aCaseWhosePhotosAllResembleTheProbeBeatsOneChanceMatch() {
        Map<String, List<FaceScore>> byCase = new LinkedHashMap<>();
        byCase.put("one-lucky-photo", faces(0.80, 0.40, 0.40, 0.40));
        byCase.put("consistent", faces(0.78, 0.77, 0.76, 0.75));
        assertEquals("consistent", CaseRanker.DEFAULT.rank(byCase).get(0).caseId());
        assertEquals("one-lucky-photo", MAX.rank(byCase).get(0).caseId());
    }

    @Test
    void otherRulesFollowTheirFormulas() {
        CaseRanker top2 = new CaseRanker(Policy.DEFAULT.withAggregation(Aggregation.TOP2_MEAN, 1));
        assertEquals((0.9 + 0.5) / 2, top2.caseScore(faces(0.2, 0.9, 0.5)), 1e-12);
        assertEquals(0.4, top2.caseScore(faces(0.4)), 1e-12);
        CaseRanker soft = new CaseRanker(Policy.DEFAULT.withAggregation(Aggregation.SOFT_MAX, 0.1));
        double expected = 0.1 * Math.log((Math.exp(2) + Math.exp(9) + Math.exp(5)) / 3);
        assertEquals(expected, soft.caseScore(faces(0.2, 0.9, 0.5)), 1e-12);
        // between the mean and the max
        double s = soft.caseScore(faces(0.2, 0.9, 0.5));
        assertTrue(s < 0.9 && s > (0.2 + 0.9 + 0.5) / 3);
    }

    @Test
    void rankingIsBestFirstWithDeterministicTies() {
        Map<String, List<FaceScore>> byCase = new LinkedHashMap<>();
        byCase.put("c", faces(0.7));
        byCase.put("a", faces(0.7));
        byCase.put("b", faces(0.9, 0.1));
        byCase.put("d", faces(0.3));
        byCase.put("empty", faces());
        List<RankedCase<String>> ranking = CaseRanker.DEFAULT.rank(byCase);
        assertEquals(List.of("b", "a", "c", "d"), ranking.stream().map(RankedCase::caseId).toList());
        assertEquals(List.of(1, 2, 3, 4), ranking.stream().map(RankedCase::position).toList());
        assertEquals(2, ranking.get(0).faces());
        assertEquals(0.9, ranking.get(0).best().similarity(), 1e-12);

        // The same scores in another order give the same ranking.
        Map<String, List<FaceScore>> reversed = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>(byCase.keySet());
        Collections.reverse(keys);
        keys.forEach(k -> reversed.put(k, byCase.get(k)));
        assertEquals(ranking, CaseRanker.DEFAULT.rank(reversed));
    }

    @Test
    void tiesOnTheCaseScoreAreBrokenByTheBestFaceThenTheKey() {
        CaseRanker top2 = new CaseRanker(Policy.DEFAULT.withAggregation(Aggregation.TOP2_MEAN, 1));
        Map<Long, List<FaceScore>> byCase = new LinkedHashMap<>();
        byCase.put(7L, faces(0.5, 0.5)); // 0.5, best 0.5
        byCase.put(3L, faces(0.5, 0.5)); // 0.5, best 0.5
        byCase.put(9L, faces(0.75, 0.25)); // 0.5, best 0.75
        assertEquals(List.of(9L, 3L, 7L), top2.rank(byCase).stream().map(RankedCase::caseId).toList());
    }

    @Test
    void pessimisticRankCountsEveryTieAgainstTheCase() {
        Map<String, List<FaceScore>> byCase = new LinkedHashMap<>();
        byCase.put("a", faces(0.8));
        byCase.put("b", faces(0.6));
        byCase.put("c", faces(0.6));
        byCase.put("d", faces(0.6));
        byCase.put("e", faces(0.1));
        List<RankedCase<String>> ranking = CaseRanker.DEFAULT.rank(byCase);
        assertEquals(1, CaseRanker.pessimisticRank(ranking, "a"));
        // b is listed second, but two other cases tie with it: rank 4 for each of b, c and d
        assertEquals(4, CaseRanker.pessimisticRank(ranking, "b"));
        assertEquals(4, CaseRanker.pessimisticRank(ranking, "c"));
        assertEquals(4, CaseRanker.pessimisticRank(ranking, "d"));
        assertEquals(5, CaseRanker.pessimisticRank(ranking, "e"));
        assertEquals(0, CaseRanker.pessimisticRank(ranking, "absent"));
    }

    @Test
    void projectionsOutsideTheAgeWindowDoNotCount() {
        CaseRanker windowed = new CaseRanker(new Policy(Aggregation.MAX, 0.05, 5));
        List<FaceScore> faces = List.of(new FaceScore(0.4, EmbeddingKind.ORIGINAL, 3f), new FaceScore(0.9, EmbeddingKind.PROJECTION, 40f),
                new FaceScore(0.6, EmbeddingKind.PROJECTION, 22f));
        assertEquals(0.6, windowed.caseScore(faces, 20f), 1e-12);
        assertEquals(0.9, windowed.caseScore(faces, null), 1e-12, "no probe age: every projection counts");
        assertEquals(0.9, MAX.caseScore(faces, 20f), 1e-12, "the default window is unlimited");
        assertTrue(Double.isNaN(windowed.caseScore(List.of(new FaceScore(0.9, EmbeddingKind.PROJECTION, 60f)), 20f)));
    }

    @Test
    void projectionWeightScalesTheirShareOfTheSoftMaximumAndZeroIgnoresThem() {
        List<FaceScore> faces = List.of(FaceScore.original(0.5), new FaceScore(0.7, EmbeddingKind.PROJECTION, 30f));
        double t = 0.05;
        double equal = CaseRanker.DEFAULT.caseScore(faces);
        assertEquals(0.7 + t * Math.log((Math.exp((0.5 - 0.7) / t) + 1) / 2), equal, 1e-12);
        CaseRanker half = new CaseRanker(Policy.DEFAULT.withProjections(Double.POSITIVE_INFINITY, 0.5));
        assertEquals(0.7 + t * Math.log((Math.exp((0.5 - 0.7) / t) + 0.5) / 1.5), half.caseScore(faces), 1e-12);
        assertTrue(half.caseScore(faces) < equal, "a projection weighted down lifts a case less");
        CaseRanker ignored = new CaseRanker(Policy.DEFAULT.withProjections(Double.POSITIVE_INFINITY, 0));
        assertEquals(0.5, ignored.caseScore(faces), 1e-12);
        assertEquals(1, ignored.rank(Map.of("a", faces)).get(0).faces(), "only the original counted");
        assertTrue(Double.isNaN(ignored.caseScore(List.of(new FaceScore(0.9, EmbeddingKind.PROJECTION, 20f)))));
        assertEquals(1.0, Policy.DEFAULT.projectionWeight(), "projections count fully unless a bundle says otherwise");
        assertEquals("soft-max(t=0.05), projections ignored", ignored.policy().toString());
    }

    @Test
    void groupsNeighboursByCaseFromCosineDistances() {
        record Neighbour(long caseId, double distance, EmbeddingKind kind, Float showsAge) {
        }
        List<Neighbour> neighbours = List.of(new Neighbour(2, 0.1, EmbeddingKind.ORIGINAL, null), new Neighbour(5, 0.3, EmbeddingKind.PROJECTION, 30f),
                new Neighbour(2, 0.4, EmbeddingKind.ORIGINAL, null));
        Map<Long, List<FaceScore>> grouped = CaseRanker.group(neighbours, Neighbour::caseId,
                n -> FaceScore.ofCosineDistance(n.distance(), n.kind(), n.showsAge()));
        assertEquals(List.of(2L, 5L), new ArrayList<>(grouped.keySet()));
        assertEquals(0.9, grouped.get(2L).get(0).similarity(), 1e-12);
        assertEquals(EmbeddingKind.PROJECTION, grouped.get(5L).get(0).kind());
        List<RankedCase<Long>> ranking = MAX.rank(grouped);
        assertEquals(2L, ranking.get(0).caseId());
        assertEquals(0.9, ranking.get(0).score(), 1e-12);
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> FaceScore.original(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> EmbeddingKind.ofStored("sketch"));
        assertThrows(IllegalArgumentException.class, () -> new Policy(Aggregation.SOFT_MAX, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Policy.DEFAULT.withProjections(5, 1.5));
        assertThrows(IllegalArgumentException.class, () -> Policy.DEFAULT.withProjections(5, Double.NaN));
        assertEquals(EmbeddingKind.ORIGINAL, EmbeddingKind.ofStored(null));
    }
}
