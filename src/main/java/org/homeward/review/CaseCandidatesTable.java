package org.homeward.review;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.homeward.cases.CaseDetail;
import org.homeward.cases.CasePageSection;

/** The sightings that list the case, on its page after the photos and their projections. */
@ApplicationScoped
public class CaseCandidatesTable implements CasePageSection {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance table(List<CaseCandidates.Row> rows);
    }

    @Inject
    CaseCandidates candidates;

    @Override
    public Position position() {
        return new Position(Place.AFTER_PHOTOS, 20);
    }

    @Override
    public String render(CaseDetail caseFile) {
        return Templates.table(candidates.of(caseFile.id())).render();
    }
}
