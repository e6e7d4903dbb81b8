package org.homeward.sightings;

import io.quarkus.qute.RawString;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders every {@link SightingPageSection} once for one view of a sighting's page: its HTML by place, its row badges. */
@ApplicationScoped
public class SightingPageSections {

    @Inject
    @Any
    Instance<SightingPageSection> sections;

    /** The rendered sections of one page view, as the sighting page's template places them. */
    public static final class Rendered {
        private final List<SightingPageSection.Part> parts;
        private final Map<Long, SightingPageSection.Badge> badges = new HashMap<>();

        Rendered(List<SightingPageSection.Part> parts) {
            this.parts = parts;
            parts.forEach(p -> p.badges().forEach(badges::putIfAbsent));
        }

        public RawString summary() {
            return at(SightingPageSection.Place.SUMMARY);
        }

        public RawString afterSummary() {
            return at(SightingPageSection.Place.AFTER_SUMMARY);
        }

        /** The badge a section gives a candidate's row, or null: the row then shows the candidate's own state. */
        public SightingPageSection.Badge badge(long candidateId) {
            return badges.get(candidateId);
        }

        private RawString at(SightingPageSection.Place place) {
            // HTML the owning feature's own checked template escaped; the sighting page adds it as it is
            return new RawString(parts.stream().map(p -> p.html().getOrDefault(place, "")).filter(h -> !h.isEmpty())
                    .collect(Collectors.joining("\n")));
        }
    }

    public Rendered of(long sightingId) {
        return new Rendered(sections.stream().map(s -> s.render(sightingId)).toList());
    }
}
