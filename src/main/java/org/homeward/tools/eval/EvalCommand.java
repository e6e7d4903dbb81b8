package org.homeward.tools.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.homeward.models.EmbeddingTransform;
import picocli.CommandLine.Command;

/**
 * {@code deploy/homeward eval}: the accuracy of the app's own pipeline and ranking on labelled photos, with no
 * database and no Keycloak (docs/accuracy.md); one sub-command per protocol, and what they share.
 * The last line on stdout is one JSON object; progress and errors go to stderr; a bad input exits with 2.
 */
@Command(name = "eval", description = {"Accuracy of the pipeline and ranking on labelled photos (docs/accuracy.md);"
        + " needs no database or Keycloak.", "The last line on stdout is one JSON object; bad input exits with 2."},
        subcommands = {TracingCommand.class, PairsCommand.class, MakePairs.class, CrossValidation.class, ScaleProtocol.class,
            Calibrate.class})
public final class EvalCommand {

    static final ObjectMapper JSON = new ObjectMapper();

    private EvalCommand() {
    }

    /** A photo's searchable vector: the raw embedding, or flip-averaged, then the transform when there is one. */
    static Function<PhotoEmbeddings.Face, float[]> searchable(EmbeddingTransform transform, boolean flip) {
        return face -> {
            if (face == null || !face.found()) {
                return null;
            }
            float[] v = flip && face.flipped() != null ? EmbeddingTransform.flipAveraged(face.embedding(), face.flipped())
                    : face.embedding();
            return transform == null ? v : transform.apply(v);
        };
    }

    /** Every photo's searchable vector (null: no usable face). */
    static Map<Path, float[]> searchable(Map<Path, PhotoEmbeddings.Face> faces, EmbeddingTransform transform, boolean flip) {
        Function<PhotoEmbeddings.Face, float[]> searchable = searchable(transform, flip);
        Map<Path, float[]> vectors = new LinkedHashMap<>();
        faces.forEach((file, face) -> vectors.put(file, searchable.apply(face)));
        return vectors;
    }

    static String modelLabel(PhotoEmbeddings e, EmbeddingTransform t, boolean flip) {
        return (t == null ? e.modelId() : t.modelId()) + (flip && (t == null || !t.flipAverage()) ? "+flip" : "");
    }

    /** Appends every value of {@code v} to the JSON array: how the eval's files write a vector. */
    static void addFloats(ArrayNode into, float[] v) {
        for (float x : v) {
            into.add(x);
        }
    }

    static Double round(double v) {
        return Double.isNaN(v) ? null : Math.round(v * 10000) / 10000.0;
    }

    static void put(ObjectNode n, String key, double v) {
        Double r = round(v);
        if (r == null) {
            n.putNull(key);
        } else {
            n.put(key, r);
        }
    }

    static void checkEmbedder(PhotoEmbeddings embeddings, EmbeddingTransform transform) {
        if (transform != null && !transform.embedderId().equals(embeddings.modelId())) {
            throw new EvalInputError("the transform " + transform.name() + " reads vectors of " + transform.embedderId()
                    + ", but the bundle's embedder is " + embeddings.modelId());
        }
    }

    /** The report's folder, made now so that a bad --out fails before any photo is processed. */
    static Path prepareOut(Path dir) {
        if (dir == null) {
            return null;
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new EvalInputError("--out " + dir + ": cannot create the folder (" + e.getMessage() + ")");
        }
        return dir;
    }

    /** The settings table every report shows. */
    static Map<String, Object> settings(String command, PhotoEmbeddings e, String model, boolean flip, EmbeddingTransform t) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("model", model);
        s.put("embedder", e.modelId() + " (bundle " + e.modelsDir().toAbsolutePath() + ")");
        s.put("embedding transform", t == null ? "none (raw embedding, cosine similarity)" : t.toString());
        s.put("test-time flip", flip ? "yes: mean of the face's and its mirrored chip's unit vectors" : "no");
        s.put("pipeline", "the app's FacePipeline: ImageDecoder, detect, 5 landmarks, align, quality gate, embed, age");
        s.put("pipeline settings", e.settings());
        s.put("cache", e.cacheDir() == null ? "off" : e.cacheDir() + " (" + e.fromCache() + " photos read, "
                + e.computed() + " embedded this run)");
        s.put("command", command);
        s.put("run at", OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString());
        return s;
    }

    static void writeJson(Path file, Object value) {
        try {
            Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
