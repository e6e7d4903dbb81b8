package org.homeward.matching;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.homeward.cases.CaseSummary;

/**
 * A candidate as a person sees it in a list: the evidence always, the case's reference and the child's
 * name only when that person may see the case (otherwise just the unit that holds it). {@code bestFaceId}: the
 * case's face nearest the sighting face (lists show it only to those who may see the case).
 */
public record CandidateView(long id, long sightingId, long sightingFaceId, int position, long caseId,
        CaseSummary caseSummary, String caseUnit, double score, double bestSimilarity, int facesCompared,
        double likelihoodRatio, EvidenceCalibration.Band band, List<String> cautions, Candidate.State state,
        Candidate.FoundBy foundBy, Instant foundAt, String modelId, String calibrationId, Long bestFaceId) {

    /** {@code summary} is null when the viewer may not see the case. */
    public static CandidateView of(Candidate c, CaseSummary summary, String caseUnit) {
        return new CandidateView(c.id, c.sightingId, c.sightingFaceId, c.position, c.caseId, summary, caseUnit,
                c.score, c.bestSimilarity, c.facesCompared, c.likelihoodRatio, c.evidenceBand,
                List.of(c.cautions), c.state, c.foundBy, c.foundAt,
                c.modelId, c.calibrationId, c.bestFaceId);
    }

    /** The verbal band's words ("moderate support for same person"). */
    @JsonProperty
    public String bandLabel() {
        return band.label();
    }

    /** What the band means, in one sentence. */
    public String bandExplanation() {
        return band.explanation();
    }

    public boolean caseVisible() {
        return caseSummary != null;
    }

    /** The likelihood ratio as people read it: "about 250", "about 1 in 40". */
    public String likelihoodRatioText() {
        return EvidenceText.ratio(likelihoodRatio);
    }

    public String stateLabel() {
        return switch (state) {
            case unreviewed -> "Not reviewed";
            case provisional -> "Possible match (awaiting a supervisor)";
            case confirmed -> "Confirmed by a supervisor";
            case not_match -> "Not a match";
            case inconclusive -> "Inconclusive";
        };
    }

    public String bestSimilarityText() {
        return String.format(Locale.ROOT, "%.3f", bestSimilarity);
    }

    public String scoreText() {
        return String.format(Locale.ROOT, "%.3f", score);
    }
}
