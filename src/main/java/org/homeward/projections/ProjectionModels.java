package org.homeward.projections;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.homeward.faces.ModelBundle;
import org.homeward.models.EmbeddingTransform;
import org.homeward.models.ModelPackage;
import org.homeward.models.ModelUnavailable;
import org.homeward.models.ModelsConfig;
import org.homeward.projections.ageing.AgeProjector;
import org.homeward.projections.ageing.GeneratorProjector;
import org.homeward.projections.ageing.PrototypePackage;

/**
 * The app's projector (opened from its package on first use, like the face models) and the embedding
 * transforms that turn a projection's raw vector into the vector of another model id, such as
 * {@code dlib-face-embedder-v1+homeward-embedding-transform-v1}.
 */
@ApplicationScoped
public class ProjectionModels {

    @Inject
    ProjectionsConfig config;

    @Inject
    ModelsConfig models;

    @Inject
    ModelBundle bundle;

    private volatile AgeProjector projector;
    private final Map<String, Optional<EmbeddingTransform>> transforms = new ConcurrentHashMap<>();

    public synchronized AgeProjector projector() {
        if (projector == null) {
            projector = open(packageDir(), models.device());
        }
        return projector;
    }

    /** The projection package's folder. */
    public Path packageDir() {
        return config.modelDir().orElse(models.dir().resolve(config.model()));
    }

    /** Opens a projection package by its task: age prototypes, or a learned generator. */
    public static AgeProjector open(Path dir, ModelsConfig.Device device) {
        if (!Files.isRegularFile(dir.resolve("manifest.json"))) {
            throw new ModelUnavailable("no projection package at " + dir + " (missing manifest.json); install it with:"
                    + " deploy/homeward models, or set homeward.projections.model");
        }
        String task = ModelPackage.open(dir).manifest().path("task").asText();
        return switch (task) {
            case PrototypePackage.TASK -> PrototypePackage.open(dir);
            case GeneratorProjector.TASK -> GeneratorProjector.open(dir, device);
            default -> throw new ModelUnavailable("model package at " + dir + " is not a projection package (task '" + task
                    + "', expected '" + PrototypePackage.TASK + "' or '" + GeneratorProjector.TASK + "')");
        };
    }

    /**
     * How a projection's vectors become the vector stored under {@code modelId}: the raw vector for the
     * embedder's own id, the transform's output for {@code <embedder>+<transform package>}; empty when the id
     * names nothing this process can compute (the projection then gets no vector under that id).
     */
    public Optional<Function<ProjectionVectors.Vectors, float[]>> vectorFor(String modelId) {
        String embedder = bundle.embedder().modelId();
        if (modelId.equals(embedder)) {
            return Optional.of(ProjectionVectors.Vectors::raw);
        }
        return transforms.computeIfAbsent(modelId, id -> {
            Optional<EmbeddingTransform> searched = bundle.transform().filter(t -> t.modelId().equals(id));
            if (searched.isPresent()) {
                return searched;
            }
            // a transform the search no longer uses, whose vectors the index may still hold
            if (!id.startsWith(embedder + "+")) {
                return Optional.empty();
            }
            Path dir = models.dir().resolve(id.substring(embedder.length() + 1));
            if (!Files.isDirectory(dir)) {
                return Optional.empty();
            }
            EmbeddingTransform opened = EmbeddingTransform.open(dir);
            return opened.modelId().equals(id) ? Optional.of(opened) : Optional.empty();
        }).map(t -> v -> ProjectionVectors.searchable(v, t));
    }
}
