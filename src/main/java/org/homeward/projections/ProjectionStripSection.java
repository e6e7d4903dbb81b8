package org.homeward.projections;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.homeward.cases.CaseDetail;
import org.homeward.cases.CasePageSection;

/** The aged-up projections on a case's page, one strip per searched child face, right after the photos. */
@ApplicationScoped
public class ProjectionStripSection implements CasePageSection {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance strips(long caseId, List<CaseProjections.Strip> strips);
    }

    @Inject
    CaseProjections projections;

    @Override
    public Position position() {
        return new Position(Place.AFTER_PHOTOS, 10);
    }

    @Override
    public String render(CaseDetail caseFile) {
        return projections.enabled() ? Templates.strips(caseFile.id(), projections.strips(caseFile)).render() : "";
    }
}
