package org.homeward.faces;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.homeward.faces.index.FaceIndex;
import org.homeward.faces.pipeline.FacePipeline;
import org.homeward.faces.pipeline.FoundFace;
import org.homeward.photos.ImageDecoder;
import org.homeward.testing.Scores;
import org.homeward.testing.TestImages;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A photo the worker processes ends with each usable face stored twice: the embedder's raw vector (the age
 * estimator's input) and the transform's search vector, which the app's search finds under the search model.
 */
@QuarkusTest
@Tag("shared-app")
class SearchVectorStorageTest {

    @Inject
    ModelBundle models;

    @Inject
    FaceIndex index;

    @Inject
    FacePipeline pipeline;

    @Test
    void processedFaceHasRawAndSearchVectorsAndIsFoundUnderTheSearchModel() throws Exception {
        byte[] portrait = TestImages.debianPortrait(TestImages.ASTRONAUT).orElse(null);
        assumeTrue(portrait != null, "SKIPPED: " + TestImages.ASTRONAUT + " absent (python3-skimage)");
        String search = models.searchModelId();
        assertEquals(ModelBundle.EMBEDDER + "+" + ModelBundle.TRANSFORM, search,
                "the app searches with the default transform (installed by deploy/homeward models): " + models.transformNote());

        byte[] upload = TestImages.unique(portrait, System.nanoTime());
        List<Long> faces = ProcessedPhotos.upload(upload).usableFaces();
        assertEquals(1, faces.size());
        long faceId = faces.get(0);
        Map<String, float[]> stored = ProcessedPhotos.storedVectors(faceId);
        assertEquals(Set.of(ModelBundle.EMBEDDER, search), stored.keySet());
        assertEquals(128, stored.get(search).length);

        // What was stored is what the pipeline makes of the photo.
        FoundFace fresh = pipeline.analyse(ImageDecoder.decode(upload, Long.MAX_VALUE).rgb()).get(0);
        assertTrue(Scores.cosine(fresh.searchVector(), stored.get(search)) > 0.99999, "stored search vector");
        assertTrue(Scores.cosine(fresh.embedding(), stored.get(ModelBundle.EMBEDDER)) > 0.99999, "stored raw vector");
        assertTrue(Scores.cosine(stored.get(search), stored.get(ModelBundle.EMBEDDER)) < 0.9, "the search vector is not the raw one");

        // Earlier uploads of the same portrait may tie with it: among the nearest, not necessarily first.
        FaceIndex.Neighbour found = index.nearest(search, stored.get(search), 100, FaceIndex.Scope.ALL).stream()
                .filter(n -> n.faceId() == faceId).findFirst().orElseThrow(() -> new AssertionError("not found under " + search));
        assertTrue(found.distance() < 1e-4, "distance " + found.distance());
    }
}
