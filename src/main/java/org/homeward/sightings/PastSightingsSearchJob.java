package org.homeward.sightings;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.homeward.audit.AuditTrail;
import org.homeward.cases.CaseFile;
import org.homeward.faces.Face;
import org.homeward.faces.ModelBundle;
import org.homeward.faces.PhotoAnalysed;
import org.homeward.faces.index.FaceIndex;
import org.homeward.inbox.Inbox;
import org.homeward.matching.Candidate;
import org.homeward.matching.SightingSearch;
import org.homeward.worker.Job;
import org.homeward.worker.JobHandler;
import org.homeward.worker.JobOutcome;
import org.homeward.worker.JobQueue;
import org.homeward.worker.SingleJobHandler;

/**
 * The search the other way: when an open case gains a searchable face, its faces are matched against the
 * faces of past sightings, and each sighting face near enough to be worth it is searched again over all open
 * cases (the one forward search, so its candidates are ranked and calibrated exactly as for a new sighting).
 * The owning unit of each sighting that gains this case as a candidate is told in its inbox.
 */
@ApplicationScoped
public class PastSightingsSearchJob implements SingleJobHandler {

    public static final String KIND = "search-past-sightings";

    /** Sighting faces re-searched per case face: the nearest ones. */
    static final int SIGHTING_FACES = 50;

    @Inject
    FaceIndex index;

    @Inject
    ModelBundle models;

    @Inject
    SightingSearch search;

    @Inject
    JobQueue jobs;

    @Inject
    Inbox inbox;

    @Inject
    AuditTrail audit;

    @Inject
    Event<SightingSearched> searched;

    @Override
    public boolean background() {
        return true;
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** A case photo with a usable face was analysed: queue the search (in the same transaction). */
    void onPhotoAnalysed(@Observes PhotoAnalysed analysed) {
        if (analysed.failed() || analysed.usableFaces() == 0) {
            return;
        }
        List<Long> caseIds = CaseFile.getEntityManager().createQuery(
                "select c.id from CaseFile c, CasePhoto cp where cp.caseId = c.id and cp.photoId = ?1 and c.status = 'open'",
                Long.class).setParameter(1, analysed.photoId()).getResultList();
        for (Long caseId : caseIds) {
            jobs.enqueue(KIND, caseId);
        }
    }

    @Override
    public JobOutcome runOne(Job job) {
        return new JobOutcome.Done(() -> searchPastSightings(job.subjectId()));
    }

    void searchPastSightings(long caseId) {
        CaseFile file = CaseFile.findById(caseId);
        if (file == null) {
            return;
        }
        String modelId = models.searchModelId();
        List<Long> caseFaceIds = index.searchableFaces(modelId, caseId);
        Map<Long, Long> sightingOfFace = new LinkedHashMap<>();
        for (Long faceId : caseFaceIds) {
            index.vectorOf(faceId, modelId).ifPresent(v -> {
                for (FaceIndex.Neighbour n : index.nearest(modelId, v, SIGHTING_FACES, FaceIndex.Scope.SIGHTINGS)) {
                    sightingOfFace.putIfAbsent(n.faceId(), n.ownerId());
                }
            });
        }
        int raised = 0;
        for (Map.Entry<Long, Long> e : sightingOfFace.entrySet()) {
            Sighting s = Sighting.findById(e.getValue());
            Face face = Face.findById(e.getKey());
            if (s == null || face == null || s.searchState != SearchState.ready) {
                continue;
            }
            SightingSearch.Outcome outcome = search.search(
                    new SightingSearch.Probe(s.id, face.id, s.seenOn, s.sex, face.estimatedAge), Candidate.FoundBy.CASE);
            searched.fire(new SightingSearched(s.id));
            if (outcome.newCases().contains(caseId)) {
                raised++;
                inbox.toUnit(s.unit, "sighting", s.id, "Sighting " + s.reference + " has a new candidate: an open case"
                        + " gained photos that resemble it. Review it.", "/sightings/" + s.id);
            }
        }
        audit.recordAs(JobHandler.ACTOR, "case.search-past-sightings", "case_file", caseId,
                "case faces=" + caseFaceIds.size() + " sighting faces=" + sightingOfFace.size() + " new candidates=" + raised);
    }
}
