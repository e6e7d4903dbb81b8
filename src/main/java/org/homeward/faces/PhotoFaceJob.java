package org.homeward.faces;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.homeward.audit.AuditTrail;
import org.homeward.faces.pipeline.FaceDetection;
import org.homeward.faces.pipeline.FacePipeline;
import org.homeward.faces.pipeline.FoundFace;
import org.homeward.photos.Photo;
import org.homeward.photos.PhotoConfig;
import org.homeward.photos.PhotoPixels;
import org.homeward.photos.PhotoRejected;
import org.homeward.photos.PhotoService;
import org.homeward.photos.PhotoState;
import org.homeward.photos.PhotoStore;
import org.homeward.worker.Job;
import org.homeward.worker.JobHandler;
import org.homeward.worker.JobOutcome;

/**
 * The worker's job for a new photo: find its faces and index their embeddings (the raw vector under the
 * embedder's id, and the search vector under the search model's id). Running it twice changes nothing.
 */
@ApplicationScoped
public class PhotoFaceJob implements JobHandler {

    /** The actor the audit trail names for what the worker does. */

    @Inject
    FacePipeline pipeline;

    @Inject
    ModelBundle models;

    @Inject
    FaceRecords records;

    @Inject
    ModelCheck modelCheck;

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
        return PhotoService.PROCESS_JOB;
    }

    @Override
    public List<JobOutcome> run(List<Job> batch) {
        List<Long> ids = batch.stream().map(Job::subjectId).toList();
        List<Photo> photos = QuarkusTransaction.requiringNew().call(() -> {
            Photo.update("state = ?1 where id in ?2", PhotoState.processing, ids);
            return Photo.<Photo>list("id in ?1", ids);
        });

        JobOutcome[] outcomes = new JobOutcome[batch.size()];
        List<Integer> readAt = new ArrayList<>();
        List<PhotoPixels> readable = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            long id = batch.get(i).subjectId();
            Photo photo = photos.stream().filter(p -> p.id == id).findFirst().orElse(null);
            if (photo == null) {
                outcomes[i] = new JobOutcome.Done(() -> { });
                continue;
            }
            try {
                // Only the header is read here: the pipeline decodes one photo at a time.
                readable.add(PhotoPixels.open(store.read(photo.sha256), photoConfig.maxPixels()));
                readAt.add(i);
            } catch (PhotoRejected e) {
                outcomes[i] = new JobOutcome.Failed(e.getMessage(), false);
            } catch (UncheckedIOException e) {
                outcomes[i] = new JobOutcome.Failed("the photo's file is missing from the store", false);
            }
        }
        List<FacePipeline.Analysed> found = readable.isEmpty() ? List.of()
                : pipeline.analysePhotos(readable, photoConfig.wholeDecodePixels());
        for (int k = 0; k < readAt.size(); k++) {
            int i = readAt.get(k);
            long photoId = batch.get(i).subjectId();
            FacePipeline.Analysed result = found.get(k);
            outcomes[i] = result.unreadable() != null ? new JobOutcome.Failed(result.unreadable(), false)
                    : new JobOutcome.Done(() -> save(photoId, result.faces()));
        }
        return List.of(outcomes);
    }

    /**
     * Replaces the photo's detected faces and vectors with these, so a second run never duplicates them. Faces a
     * person drew are kept (the detector cannot find them again) and numbered after the detected ones.
     */
    void save(long photoId, List<FoundFace> faces) {
        Photo photo = Photo.findById(photoId);
        if (photo == null) {
            return;
        }
        Face.delete("photo.id = ?1 and detection <> ?2", photoId, FaceDetection.drawn);
        List<Face> drawn = Face.list("photo.id = ?1 order by faceIndex", photoId);
        // face_index is unique per photo: move the kept faces out of the way before the new ones take 0..n-1.
        for (int k = 0; k < drawn.size(); k++) {
            drawn.get(k).faceIndex = -1 - k;
        }
        Face.flush();
        String embedder = models.embedder().modelId();
        String search = models.searchModelId();
        int usable = 0;
        for (int i = 0; i < faces.size(); i++) {
            if (records.save(photo, i, faces.get(i)).usable) {
                usable++;
            }
        }
        for (int k = 0; k < drawn.size(); k++) {
            drawn.get(k).faceIndex = faces.size() + k;
        }
        photo.state = PhotoState.done;
        photo.failureReason = null;
        photo.processedAt = Instant.now();
        photo.analysedBy = modelCheck.runtime();
        audit.recordAs(JobHandler.ACTOR, "photo.processed", "photo", photoId,
                "faces=" + faces.size() + " usable=" + usable + " model=" + embedder
                        + (search.equals(embedder) ? "" : " search=" + search));
        analysed.fire(new PhotoAnalysed(photoId, FaceRecords.usableOn(photoId), false));
    }

    @Override
    public void gaveUp(Job job, String reason) {
        Photo photo = Photo.findById(job.subjectId());
        if (photo != null) {
            photo.state = PhotoState.failed;
            photo.failureReason = reason;
            photo.processedAt = Instant.now();
            audit.recordAs(JobHandler.ACTOR, "photo.failed", "photo", photo.id, reason);
            analysed.fire(new PhotoAnalysed(photo.id, 0, true));
        }
    }
}
