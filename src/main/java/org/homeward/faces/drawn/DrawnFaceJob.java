package org.homeward.faces.drawn;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.io.UncheckedIOException;
import org.homeward.audit.AuditTrail;
import org.homeward.faces.Face;
import org.homeward.faces.FaceRecords;
import org.homeward.faces.PhotoAnalysed;
import org.homeward.faces.pipeline.FacePipeline;
import org.homeward.faces.pipeline.FoundFace;
import org.homeward.photos.Photo;
import org.homeward.photos.PhotoConfig;
import org.homeward.photos.PhotoPixels;
import org.homeward.photos.PhotoRejected;
import org.homeward.photos.PhotoStore;
import org.homeward.worker.Job;
import org.homeward.worker.JobHandler;
import org.homeward.worker.JobOutcome;
import org.homeward.worker.SingleJobHandler;

/**
 * The worker's job for a box a person drew ({@link FaceDrawing}): place the landmarks in it, judge its quality,
 * embed it and save it as a face of the photo marked {@link FaceDetection#drawn}, then tell the photo's cases and
 * sightings as a new analysis does (searches, projections). In the worker, like every model run: a web-only
 * process never loads the models. Running it twice changes nothing.
 */
@ApplicationScoped
public class DrawnFaceJob implements SingleJobHandler {

    public static final String KIND = "index-drawn-face";

    @Inject
    FacePipeline pipeline;

    @Inject
    FaceRecords records;

    @Inject
    PhotoStore store;

    @Inject
    PhotoConfig photoConfig;

    @Inject
    AuditTrail audit;

    @Inject
    Event<PhotoAnalysed> analysed;

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public JobOutcome runOne(Job job) {
        return place(job.subjectId());
    }

    private JobOutcome place(long drawnId) {
        record Work(DrawnFace drawn, String sha256) {
        }
        Work work = QuarkusTransaction.requiringNew().call(() -> {
            DrawnFace d = DrawnFace.findById(drawnId);
            Photo photo = d == null || !d.pending() ? null : Photo.findById(d.photoId);
            return photo == null ? null : new Work(d, photo.sha256);
        });
        if (work == null) {
            return new JobOutcome.Done(() -> { });
        }
        try {
            PhotoPixels photo = PhotoPixels.open(store.read(work.sha256()), photoConfig.maxPixels());
            FoundFace found = pipeline.place(photo, work.drawn().faceBox(), photoConfig.wholeDecodePixels());
            return new JobOutcome.Done(() -> save(drawnId, found));
        } catch (PhotoRejected e) {
            return new JobOutcome.Failed(e.getMessage(), false);
        } catch (UncheckedIOException e) {
            return new JobOutcome.Failed("the photo's file is missing from the store", false);
        }
    }

    void save(long drawnId, FoundFace found) {
        DrawnFace drawn = DrawnFace.findById(drawnId);
        Photo photo = drawn == null || !drawn.pending() ? null : Photo.findById(drawn.photoId);
        if (photo == null) {
            return;
        }
        Integer last = Face.getEntityManager()
                .createQuery("select max(f.faceIndex) from Face f where f.photo.id = ?1", Integer.class)
                .setParameter(1, photo.id).getSingleResult();
        Face face = records.save(photo, last == null ? 0 : last + 1, found);
        drawn.faceId = face.id;
        audit.recordAs(JobHandler.ACTOR, "face.drawn.indexed", "photo", photo.id, "drawn=" + drawnId
                + " face=" + face.id + " by=" + drawn.drawnBy + (face.usable ? " usable" : " refused: " + face.qualityReason));
        analysed.fire(new PhotoAnalysed(photo.id, FaceRecords.usableOn(photo.id), false));
    }

    @Override
    public void gaveUp(Job job, String reason) {
        DrawnFace drawn = DrawnFace.findById(job.subjectId());
        if (drawn != null && drawn.pending()) {
            drawn.failureReason = reason;
            audit.recordAs(JobHandler.ACTOR, "face.drawn.failed", "photo", drawn.photoId,
                    "drawn=" + drawn.id + " " + reason);
        }
    }
}
