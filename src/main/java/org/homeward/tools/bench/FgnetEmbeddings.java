package org.homeward.tools.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.homeward.tools.eval.Manifest;
import org.homeward.tools.eval.PhotoEmbeddings;
import org.homeward.models.ModelsConfig;

/**
 * The real embeddings that the search benchmark's generator is fitted on: the FG-NET dev half's photos through
 * the app's own pipeline, as {@code deploy/homeward eval} caches them (computed on the CPU, and cached, for
 * any photo not there yet). Grouped by person; photos without a usable face are counted and left out.
 */
public record FgnetEmbeddings(String modelId, Path csv, Path cacheDir, Map<String, List<float[]>> byIdentity,
        int photos, int withoutFace, int computed) {

    public static FgnetEmbeddings load(Path dataDir, Path modelsDir) {
        Path csv = dataDir.resolve("fgnet-dev").resolve("fgnet-dev.csv");
        if (!Files.isRegularFile(csv)) {
            throw new IllegalArgumentException("the synthetic faces are fitted on the FG-NET dev embeddings, and " + csv
                    + " is not there (--data DIR, -Dhomeward.data or $HOMEWARD_DATA names the shared data folder)");
        }
        Manifest manifest = Manifest.read(csv, false);
        try (PhotoEmbeddings embeddings = new PhotoEmbeddings(modelsDir, PhotoEmbeddings.defaultCacheRoot(),
                ModelsConfig.Device.cpu)) {
            Map<Path, PhotoEmbeddings.Face> faces = embeddings.embed(manifest.photos().stream()
                    .map(Manifest.Photo::file).toList(), false);
            Map<String, List<float[]>> byIdentity = new LinkedHashMap<>();
            int without = 0;
            for (Manifest.Photo photo : manifest.photos()) {
                PhotoEmbeddings.Face face = faces.get(photo.file());
                if (face.found()) {
                    byIdentity.computeIfAbsent(photo.identity(), k -> new ArrayList<>()).add(face.embedding());
                } else {
                    without++;
                }
            }
            return new FgnetEmbeddings(embeddings.modelId(), csv, embeddings.cacheDir(), byIdentity,
                    manifest.photos().size(), without, embeddings.computed());
        }
    }

    public int faces() {
        return photos - withoutFace;
    }
}
