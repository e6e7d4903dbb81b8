package org.homeward.faces.index;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.awt.image.BufferedImage;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.homeward.faces.Face;
import org.homeward.faces.FaceVectors;
import org.homeward.faces.ModelBundle;
import org.homeward.faces.PhotoAnalysed;
import org.homeward.faces.pipeline.FacePipeline;
import org.homeward.models.FaceBox;
import org.homeward.models.Landmarks;
import org.homeward.photos.PhotoConfig;
import org.homeward.photos.PhotoPixels;
import org.homeward.photos.PhotoRejected;
import org.homeward.photos.PhotoStore;
import org.homeward.worker.Job;
import org.homeward.worker.JobHandler;
import org.homeward.worker.JobOutcome;

/**
 * The worker's job that gives a photo's usable faces their vector under the search model when they lack one
 * (the search model changed since the photo was processed; {@link IndexRebuild} queues it). The faces are
 * kept as they are: each chip is cut again from the stored photo at the stored landmarks, because the
 * transform may need the mirrored chip, which no stored vector holds. Running it twice changes nothing.
 */
@ApplicationScoped
public class IndexRebuildJob implements JobHandler {

    public static final String KIND = "index-photo";

    @Inject
    FacePipeline pipeline;

    @Inject
    ModelBundle models;

    @Inject
    FaceIndex index;

    @Inject
    PhotoStore store;

    @Inject
    PhotoConfig photoConfig;

    @Inject
    EntityManager em;

    @Inject
    Event<PhotoAnalysed> analysed;

    /** A face that lacks its search vector, with what re-embedding it needs. */
    private record Pending(long faceId, long photoId, String sha256, FaceBox box, Landmarks landmarks) {
    }

    @Override
    public boolean background() {
        return true;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public List<JobOutcome> run(List<Job> batch) {
        String model = models.searchModelId();
        Map<Long, List<Pending>> pending = QuarkusTransaction.requiringNew()
                .call(() -> pendingFaces(batch.stream().map(Job::subjectId).toList(), model));

        JobOutcome[] outcomes = new JobOutcome[batch.size()];
        List<float[]> chips = new ArrayList<>();
        int[] firstChip = new int[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            List<Pending> faces = pending.getOrDefault(batch.get(i).subjectId(), List.of());
            firstChip[i] = chips.size();
            if (faces.isEmpty()) {
                // Deleted, processed again, or indexed by another worker since the job was queued.
                outcomes[i] = new JobOutcome.Done(() -> { });
                continue;
            }
            try {
                PhotoPixels photo = PhotoPixels.open(store.read(faces.get(0).sha256()), photoConfig.maxPixels());
                BufferedImage whole = photo.pixels() <= photoConfig.wholeDecodePixels() ? photo.whole() : null;
                List<float[]> mine = new ArrayList<>();
                for (Pending face : faces) {
                    mine.add(pipeline.chip(photo, whole, face.box(), face.landmarks()));
                }
                chips.addAll(mine);
            } catch (PhotoRejected e) {
                outcomes[i] = new JobOutcome.Failed(e.getMessage(), false);
                continue;
            } catch (UncheckedIOException e) {
                outcomes[i] = new JobOutcome.Failed("the photo's file is missing from the store", false);
                continue;
            }
        }
        // Every chip of the batch (and each one's mirror image, when the transform wants it) in one pass.
        List<FaceVectors> vectors = pipeline.embed(chips, false);
        for (int i = 0; i < batch.size(); i++) {
            if (outcomes[i] == null) {
                List<Pending> faces = pending.get(batch.get(i).subjectId());
                List<FaceVectors> mine = vectors.subList(firstChip[i], firstChip[i] + faces.size());
                outcomes[i] = new JobOutcome.Done(() -> save(model, faces, mine));
            }
        }
        return List.of(outcomes);
    }

    private Map<Long, List<Pending>> pendingFaces(List<Long> photoIds, String model) {
        @SuppressWarnings("unchecked")
        List<Number> ids = em.createNativeQuery("SELECT f.id FROM face f WHERE f.photo_id IN (:photos) AND f.usable AND "
                + IndexProgress.MISSING_VECTOR).setParameter("photos", photoIds).setParameter("model", model).getResultList();
        Map<Long, List<Pending>> byPhoto = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return byPhoto;
        }
        List<Face> faces = Face.list("from Face f join fetch f.photo where f.id in ?1 order by f.photo.id, f.faceIndex",
                ids.stream().map(Number::longValue).toList());
        for (Face f : faces) {
            byPhoto.computeIfAbsent(f.photo.id, k -> new ArrayList<>()).add(new Pending(f.id, f.photo.id, f.photo.sha256,
                    f.faceBox(), Landmarks.of(f.landmarks)));
        }
        return byPhoto;
    }

    /**
     * Stores the search vectors of the faces that still exist (the photo may have been processed again meanwhile),
     * then tells the searches, as after a photo's first analysis: what was searched while these faces could not
     * be found is searched again.
     */
    private void save(String model, List<Pending> faces, List<FaceVectors> vectors) {
        int stored = 0;
        for (int k = 0; k < faces.size(); k++) {
            long faceId = faces.get(k).faceId();
            if (Face.count("id", faceId) > 0) {
                index.store(faceId, model, EmbeddingKind.ORIGINAL, null, vectors.get(k).search());
                stored++;
            }
        }
        if (stored > 0) {
            long photoId = faces.get(0).photoId();
            analysed.fire(new PhotoAnalysed(photoId, (int) Face.count("photo.id = ?1 and usable = true", photoId), false));
        }
    }
}
