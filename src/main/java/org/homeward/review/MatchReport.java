package org.homeward.review;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import org.homeward.matching.CaseRanker;
import org.homeward.matching.Plausibility;

/**
 * The match report: one printable page (print CSS; the browser's "Save as PDF" gives the PDF) with the faces,
 * the evidence, the method and model versions, and every verdict with its reviewer and date. Generating it is
 * audited by {@link ReviewService#report(long)}.
 */
@ApplicationScoped
public class MatchReport {

    /** What the report states about how the evidence was produced. */
    public record Method(String ranking, String searchModel, double excludeSigmas, double cautionSigmas) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance report(CandidateDetail d, Method method, Instant generatedAt);
    }

    @Inject
    ReviewService review;

    public String render(long candidateId) {
        CandidateDetail d = review.report(candidateId);
        Method method = new Method(CaseRanker.DEFAULT.policy().toString(), d.candidate().modelId(),
                Plausibility.EXCLUDE_SIGMAS, Plausibility.CAUTION_SIGMAS);
        return Templates.report(d, method, Instant.now()).render();
    }
}
