package org.homeward.projections;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;
import org.homeward.cases.CaseRules.CaseNotFound;
import org.homeward.cases.CaseService;

/**
 * Projections of one case for pages and the API, scoped like the case itself: a case the caller may not see,
 * or a projection of another case, answers exactly like one that does not exist.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class ProjectionImages {

    @Inject
    CaseService cases;

    @Inject
    CaseProjections strips;

    @Inject
    ProjectionStore store;

    public byte[] projection(long caseId, long projectionId) {
        visible(caseId);
        Projection p = Projection.findById(projectionId);
        if (p == null || p.caseId != caseId) {
            throw new CaseNotFound(caseId + " / projection " + projectionId);
        }
        return store.read(p.imageSha256.trim());
    }

    public byte[] source(long caseId, long faceId) {
        visible(caseId);
        ProjectionStatus s = ProjectionStatus.findById(faceId);
        if (s == null || s.caseId != caseId || s.sourceSha256 == null) {
            throw new CaseNotFound(caseId + " / face " + faceId);
        }
        return store.read(s.sourceSha256.trim());
    }

    /** The strips of the case (its view is audited as a case view). */
    public List<CaseProjections.Strip> strips(long caseId) {
        return strips.strips(cases.describe(caseId));
    }

    private void visible(long caseId) {
        if (!cases.canSee(caseId)) {
            throw new CaseNotFound(caseId);
        }
    }
}
