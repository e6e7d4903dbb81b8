package org.homeward.cases;

import io.quarkus.qute.RawString;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Comparator;
import java.util.stream.Collectors;

/** Renders every {@link CasePageSection} for one view of a case's page, by place. */
@ApplicationScoped
public class CasePageSections {

    /** The rendered sections of one page view, as the case page's template places them. */
    public record Rendered(RawString top, RawString afterPhotos) {
    }

    @Inject
    @Any
    Instance<CasePageSection> sections;

    public Rendered of(CaseDetail caseFile) {
        return new Rendered(render(CasePageSection.Place.TOP, caseFile),
                render(CasePageSection.Place.AFTER_PHOTOS, caseFile));
    }

    private RawString render(CasePageSection.Place place, CaseDetail caseFile) {
        // HTML the owning feature's own checked template escaped; the case page adds it as it is
        return new RawString(sections.stream().filter(s -> s.position().place() == place)
                .sorted(Comparator.comparingInt(s -> s.position().order()))
                .map(s -> s.render(caseFile)).collect(Collectors.joining("\n")));
    }
}
