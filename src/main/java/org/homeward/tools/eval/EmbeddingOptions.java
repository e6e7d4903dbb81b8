package org.homeward.tools.eval;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import org.homeward.faces.pipeline.QualityGate;
import org.homeward.models.EmbeddingTransform;
import org.homeward.models.ModelsConfig;
import org.homeward.tools.Main;
import org.homeward.tools.ModelsOption;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** How the protocols that embed photos do it: the bundle, the cache, the device and the quality gate's yaw limit. */
final class EmbeddingOptions {

    @Mixin
    private ModelsOption models;
    @Option(names = "--cache", paramLabel = "DIR", description = "embeddings kept between runs, keyed by model and settings")
    private Path cache = PhotoEmbeddings.defaultCacheRoot();
    @Option(names = "--no-cache", description = "embed every photo again and keep nothing")
    private boolean noCache;
    @Option(names = "--device", paramLabel = "DEVICE", description = "${COMPLETION-CANDIDATES}")
    ModelsConfig.Device device = ModelsConfig.Device.auto;
    @Option(names = "--max-yaw", paramLabel = "YAW", description = "the quality gate's yaw limit, 0.05 to 2")
    private double maxYaw = QualityGate.Rules.DEFAULTS.maxYaw();

    /** The command this mixin is part of: for the command line that reports and packages record. */
    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    CommandSpec command() {
        return command;
    }

    Path modelsDir() {
        return models.dir();
    }

    /** Photos' faces and the search model's label; the embeddings are closed, and still tell their counts. */
    record Embedded(PhotoEmbeddings embeddings, Map<Path, PhotoEmbeddings.Face> faces, String model) {
    }

    /** Embeds the photos for the search model (transform and flip), from the cache where it can. */
    Embedded embed(Collection<Path> files, EmbeddingTransform transform, boolean flip) {
        PhotoEmbeddings embeddings = open();
        try (embeddings) {
            EvalCommand.checkEmbedder(embeddings, transform);
            return new Embedded(embeddings, embeddings.embed(files, flip), EvalCommand.modelLabel(embeddings, transform, flip));
        }
    }

    PhotoEmbeddings open() {
        QualityGate.Rules d = QualityGate.Rules.DEFAULTS;
        double yaw = Main.within("--max-yaw", maxYaw, 0.05, 2);
        return new PhotoEmbeddings(models.dir(), noCache ? null : cache, device,
                new QualityGate.Rules(d.minInterOcular(), d.minSharpness(), yaw));
    }
}
