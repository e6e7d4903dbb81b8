package org.homeward.tools.eval;

import java.nio.file.Files;
import java.nio.file.Path;
import org.homeward.faces.ModelBundle;
import org.homeward.models.EmbeddingTransform;
import picocli.CommandLine.Option;

/**
 * The model tracing and pairs measure: what the app searches with by default (the bundle's transform, with its
 * flip), unless --raw asks for the embedder's raw vectors or --transform names another package.
 */
final class SearchModel {

    @Option(names = "--raw", description = "measure the embedder's raw vectors")
    private boolean raw;
    @Option(names = "--transform", paramLabel = "PKG_DIR", description = "measure this embedding-transform package")
    private Path transform;
    @Option(names = "--flip", description = "test-time flip: the mean of the face's and its mirror image's vectors"
            + " (on when the transform asks for it)")
    private boolean flip;

    /** The transform to apply, or null for the raw vectors. */
    EmbeddingTransform transform(Path modelsDir) {
        if (raw && transform != null) {
            throw new EvalInputError("--raw and --transform contradict each other: choose one");
        }
        if (raw) {
            return null;
        }
        if (transform != null) {
            return open(transform);
        }
        Path installed = modelsDir.resolve(ModelBundle.TRANSFORM);
        return Files.isDirectory(installed) ? EmbeddingTransform.open(installed) : null;
    }

    boolean flip(EmbeddingTransform t) {
        return flip || (t != null && t.flipAverage());
    }

    /** The package given with --transform. */
    static EmbeddingTransform open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new EvalInputError("--transform " + dir + " is not a model package folder");
        }
        return EmbeddingTransform.open(dir);
    }
}
