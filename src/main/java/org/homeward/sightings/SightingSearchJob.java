package org.homeward.sightings;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import org.homeward.audit.AuditTrail;
import org.homeward.faces.Face;
import org.homeward.faces.PhotoAnalysed;
import org.homeward.matching.Candidate;
import org.homeward.matching.SightingSearch;
import org.homeward.worker.Job;
import org.homeward.worker.JobHandler;
import org.homeward.worker.SingleJobHandler;
import org.homeward.worker.JobOutcome;
import org.homeward.worker.JobQueue;

/**
 * The worker's job for a new sighting: search every usable face on its photos over the open cases. It only
 * reads vectors the photo job stored, so it runs in the saving transaction; running it again refreshes the
 * unreviewed candidates and keeps the reviewed ones.
 */
@ApplicationScoped
public class SightingSearchJob implements SingleJobHandler {

    public static final String KIND = "search-sighting";


    @Inject
    SightingSearch search;

    @Inject
    AuditTrail audit;

    @Inject
    JobQueue jobs;

    @Inject
    Event<SightingSearched> searched;

    /**
     * A sighting's photo was analysed again (re-indexed under a new search model): search that sighting again,
     * so a search that ran while its face had no vector under the new model is not left empty.
     */
    void onPhotoAnalysed(@Observes PhotoAnalysed analysed) {
        if (analysed.failed() || analysed.usableFaces() == 0) {
            return;
        }
        for (SightingPhoto link : SightingPhoto.<SightingPhoto>list("photoId", analysed.photoId())) {
            jobs.enqueue(KIND, link.sightingId);
        }
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public JobOutcome runOne(Job job) {
        return new JobOutcome.Done(() -> searchAll(job.subjectId()));
    }

    void searchAll(long sightingId) {
        Sighting s = Sighting.findById(sightingId);
        if (s == null) {
            return;
        }
        List<Face> faces = Face.list("""
                select f from Face f where f.usable and f.photo.id in
                  (select sp.photoId from SightingPhoto sp where sp.sightingId = ?1)
                order by f.photo.id, f.faceIndex""", sightingId);
        if (faces.isEmpty()) {
            s.searchState = SearchState.no_face;
            s.searchedAt = Instant.now();
            audit.recordAs(JobHandler.ACTOR, "sighting.search", "sighting", sightingId, "no usable face");
            return;
        }
        int listed = 0;
        int excluded = 0;
        for (Face face : faces) {
            SightingSearch.Outcome outcome = search.search(
                    new SightingSearch.Probe(s.id, face.id, s.seenOn, s.sex, face.estimatedAge), Candidate.FoundBy.SIGHTING);
            listed += outcome.listed();
            excluded += outcome.excluded();
        }
        s.searchState = SearchState.ready;
        s.searchError = null;
        s.searchedAt = Instant.now();
        s.excludedCases = excluded;
        audit.recordAs(JobHandler.ACTOR, "sighting.search", "sighting", sightingId,
                "faces=" + faces.size() + " candidates=" + listed + " excluded=" + excluded);
        searched.fire(new SightingSearched(sightingId));
    }

    @Override
    public void gaveUp(Job job, String reason) {
        Sighting s = Sighting.findById(job.subjectId());
        if (s != null) {
            s.searchState = SearchState.failed;
            s.searchError = reason;
            audit.recordAs(JobHandler.ACTOR, "sighting.search-failed", "sighting", s.id, reason);
        }
    }
}
