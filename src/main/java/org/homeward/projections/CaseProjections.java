package org.homeward.projections;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.homeward.cases.CaseDetail;

/**
 * The projections of a case's child faces as the case page and the API show them: per searched face, the
 * source crop, the projections by age, or the reason there are none. Reads only faces of a {@link CaseDetail}
 * the caller was already allowed to see; the case page's strip is {@link ProjectionStripSection}.
 */
@ApplicationScoped
public class CaseProjections {

    @Inject
    ProjectionsConfig config;

    /**
     * One projection as shown: its id, the age it shows, its age group, how it was made, and whether relatives' adult
     * photos steered its image.
     */
    public record Item(long id, float targetAge, String ageGroup, String method, String modelId, String modelVersion,
            boolean steered) {
        /** The target age as people say it: whole years. */
        public String age() {
            return targetAge == Math.rint(targetAge) ? Integer.toString((int) targetAge)
                    : String.format(Locale.ROOT, "%.1f", targetAge);
        }
    }

    /**
     * One child face's strip: the case, photo and face, the child's age in the photo, whether a source crop is
     * stored, why there is no projection (null when there are some), and the projections, youngest first.
     */
    public record Strip(long caseId, long photoId, long faceId, Float sourceAge, boolean hasSource, String reason,
            List<Item> projections) {
        public String sourceAgeText() {
            return sourceAge == null ? "unknown" : sourceAge == Math.rint(sourceAge) ? Integer.toString(sourceAge.intValue())
                    : String.format(Locale.ROOT, "%.1f", sourceAge);
        }

        /** The youngest age whose image relatives' photos steered; null when none did. */
        public String steeredFrom() {
            return projections.stream().filter(Item::steered).map(Item::age).findFirst().orElse(null);
        }

        /** Still waiting for the worker: no decision stored yet. */
        public boolean pending() {
            return reason == null && projections.isEmpty();
        }
    }

    public boolean enabled() {
        return config.enabled();
    }

    @Transactional
    public List<Strip> strips(CaseDetail c) {
        List<Strip> out = new ArrayList<>();
        if (!config.enabled()) {
            return out;
        }
        for (CaseDetail.Photo p : c.photos()) {
            Long faceId = p.searchedFaceId();
            if (faceId == null) {
                continue;
            }
            // Projections first: a job commits them with their status, so a status read after them is never older
            // (each statement sees what was committed when it began).
            PanacheQuery<Projection> q = Projection.find("faceId = ?1 and caseId = ?2", Sort.by("targetAge"), faceId, c.id());
            List<Item> items = q.list().stream().map(x -> new Item(x.id, x.targetAge, x.ageGroup, x.method, x.modelId,
                    x.modelVersion, x.steeredBy != null)).toList();
            ProjectionStatus status = ProjectionStatus.findById(faceId);
            out.add(new Strip(c.id(), p.photoId(), faceId, status == null ? null : status.sourceAge,
                    status != null && status.sourceSha256 != null && status.caseId == c.id(), status == null ? null : status.reason,
                    items));
        }
        return out;
    }
}
