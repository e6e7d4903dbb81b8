package org.homeward.sightings;

import io.quarkus.qute.RawString;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.stream.Collectors;

/** Renders every {@link SightingPageSection} for one view of a sighting's page, by place, and their row badges. */
@ApplicationScoped
public class SightingPageSections {

    @Inject
    @Any
    Instance<SightingPageSection> sections;

    /** The rendered sections of one page view, as the sighting page's template places them. */
    public final class Rendered {
        private final RawString summary;
        private final RawString afterSummary;

        Rendered(long sightingId) {
            this.summary = render(SightingPageSection.Place.SUMMARY, sightingId);
            this.afterSummary = render(SightingPageSection.Place.AFTER_SUMMARY, sightingId);
        }

        public RawString summary() {
            return summary;
        }

        public RawString afterSummary() {
            return afterSummary;
        }

        /** The badge a section gives a candidate's row, or null: the row then shows the candidate's own state. */
        public SightingPageSection.Badge badge(long candidateId) {
            return sections.stream().map(s -> s.badge(candidateId)).flatMap(Optional::stream).findFirst().orElse(null);
        }
    }

    public Rendered of(long sightingId) {
        return new Rendered(sightingId);
    }

    private RawString render(SightingPageSection.Place place, long sightingId) {
        // HTML the owning feature's own checked template escaped; the sighting page adds it as it is
        return new RawString(sections.stream().map(s -> s.render(place, sightingId)).filter(h -> !h.isEmpty())
                .collect(Collectors.joining("\n")));
    }
}
