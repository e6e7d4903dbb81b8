package org.homeward.faces;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import org.homeward.faces.index.EmbeddingKind;
import org.homeward.faces.index.FaceIndex;
import org.homeward.faces.pipeline.FoundFace;
import org.homeward.photos.Photo;

/**
 * Saves one face the pipeline found, with its vectors (the raw one under the embedder's id, the search vector
 * under the search model's id): the worker's photo job and the drawn-face job store faces the same way.
 */
@ApplicationScoped
public class FaceRecords {

    @Inject
    ModelBundle models;

    @Inject
    FaceIndex index;

    /** Persists the face at {@code faceIndex} of the photo and indexes its vectors when it is usable. */
    public Face save(Photo photo, int faceIndex, FoundFace found) {
        Face face = new Face();
        face.photo = photo;
        face.faceIndex = faceIndex;
        face.box = BoxColumns.of(found.box());
        face.detectionScore = found.box().score();
        face.landmarks = found.landmarks().flat();
        face.usable = found.quality().usable();
        face.qualityReason = found.quality().reason();
        face.sharpness = (float) found.quality().sharpness();
        face.yaw = (float) found.quality().yaw();
        if (found.age() != null) {
            face.estimatedAge = found.age().years();
            face.ageUncertainty = found.age().uncertainty();
        }
        face.createdAt = Instant.now();
        face.detection = found.detection();
        face.persist();
        if (found.embedding() != null) {
            Face.flush();
            String embedder = models.embedder().modelId();
            String search = models.searchModelId();
            index.store(face.id, embedder, EmbeddingKind.ORIGINAL, null, found.embedding());
            if (!search.equals(embedder)) {
                index.store(face.id, search, EmbeddingKind.ORIGINAL, null, found.searchVector());
            }
        }
        return face;
    }

    /** The number of usable faces on the photo now: what {@link PhotoAnalysed} reports. */
    public static int usableOn(long photoId) {
        return (int) Face.count("photo.id = ?1 and usable = true", photoId);
    }
}
