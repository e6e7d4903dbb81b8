package org.homeward.review;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.homeward.cases.CaseDetail;
import org.homeward.cases.CasePageSection;

/** The banner at the top of a case's page for each match a supervisor confirmed. */
@ApplicationScoped
public class ConfirmedMatchBanner implements CasePageSection {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance banner(CaseDetail c, List<CaseCandidates.Confirmed> matches);
    }

    @Inject
    CaseCandidates candidates;

    @Override
    public Position position() {
        return new Position(Place.TOP, 10);
    }

    @Override
    public String render(CaseDetail caseFile) {
        List<CaseCandidates.Confirmed> matches = candidates.confirmed(caseFile.id());
        return matches.isEmpty() ? "" : Templates.banner(caseFile, matches).render();
    }
}
