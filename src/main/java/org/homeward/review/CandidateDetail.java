package org.homeward.review;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.homeward.cases.CaseDetail;
import org.homeward.faces.index.EmbeddingKind;
import org.homeward.matching.CandidateView;
import org.homeward.referrals.ReferralView;
import org.homeward.sightings.SightingDetail;

/**
 * What a reviewer sees of one candidate: the sighting face beside the case's childhood faces (and any
 * projections) with their ages and similarities, the evidence, the cautions, the case summary, every
 * verdict so far, and what this person may do now (with the reason when they may not). {@code referral} is set
 * when the candidate was referred to the case's unit; verdict comments are withheld from those who may not see the case.
 */
public record CandidateDetail(CandidateView candidate, ReferralView referral, SightingDetail sighting, SightingFace sightingFace,
        CaseDetail caseFile, List<CaseFace> caseFaces, List<VerdictView> verdicts, String mayReview,
        String mayConfirm, boolean reportAvailable) {

    /** The face on the sighting that was searched. */
    public record SightingFace(long faceId, long photoId, Float estimatedAge, Float ageUncertainty) {
    }

    /**
     * One of the case's searchable faces compared with the sighting face: a photo's face, or a projection of it
     * ({@code projectionId}, the age it shows in {@code showsAge}).
     */
    public record CaseFace(long faceId, long photoId, EmbeddingKind kind, Double ageInPhoto, Float showsAge, double similarity,
            Long projectionId) {
        public boolean projection() {
            return kind == EmbeddingKind.PROJECTION;
        }

        /** What the face shows, in words: the child's age in the photo, or the age a projection was made for. */
        public String ageText() {
            if (projection()) {
                return showsAge == null ? "projection" : "projected to age " + Math.round(showsAge);
            }
            return ageInPhoto == null ? "age in the photo unknown" : "age " + Math.round(ageInPhoto) + " in the photo";
        }

        public String similarityText() {
            return String.format(Locale.ROOT, "%.3f", similarity);
        }
    }

    public record VerdictView(Verdict.Decision decision, String comment, String reviewer, String reviewerName,
            Instant decidedAt) {
        public String label() {
            return decision.label();
        }
    }

    /** Null when the person may give a verdict; otherwise why not. */
    public boolean canReview() {
        return mayReview == null;
    }

    /** The case's photo faces (no projections), most similar first: the ones the comparison views align. */
    public List<CaseFace> photoFaces() {
        return caseFaces.stream().filter(f -> !f.projection())
                .sorted(Comparator.comparingDouble(CaseFace::similarity).reversed()).toList();
    }

    /** The projections, youngest age shown first. */
    public List<CaseFace> projections() {
        return caseFaces.stream().filter(CaseFace::projection)
                .sorted(Comparator.comparing(CaseFace::showsAge, Comparator.nullsLast(Float::compare))).toList();
    }

    public boolean canConfirm() {
        return mayConfirm == null;
    }
}
