package org.homeward.tools.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.homeward.faces.ModelBundle;
import org.homeward.faces.pipeline.FacePipeline;
import org.homeward.faces.pipeline.FoundFace;
import org.homeward.faces.pipeline.QualityGate;
import org.homeward.faces.pipeline.TightCrop;
import org.homeward.models.Landmarks;
import org.homeward.models.ModelUnavailable;
import org.homeward.models.ModelsConfig;
import org.homeward.photos.ImageDecoder;
import org.homeward.photos.PhotoRejected;
import org.homeward.tools.Main;

/**
 * Each photo's searchable face, through the app's own {@link FacePipeline} (decode with {@link ImageDecoder},
 * detect, landmarks, align, quality gate, embed, age): the highest-scoring usable face of the photo, or the
 * reason there is none. Results are cached on disk per (model, photo sha256) under
 * {@code $HOMEWARD_HOME/cache/eval/<embedder>/<settings>/}, where settings is a digest of the four model
 * manifests (detector, landmarks, embedder), the quality rules and the detector's size limit, so a changed model or rule never reads stale
 * vectors. Progress goes to stderr.
 */
public final class PhotoEmbeddings implements AutoCloseable {

    /** The app's defaults: homeward.photos.max-pixels and homeward.models.detector-max-side. */
    static final long MAX_PIXELS = 50_000_000L;
    static final int DETECTOR_MAX_SIDE = 2000;
    private static final int BATCH = 8;
    private static final int CACHE_FORMAT = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What the pipeline made of one photo. {@code embedding} is the raw vector of the chosen face (null when no
     * usable face was found); {@code flipped} the vector of its mirrored chip (only when asked for);
     * {@code landmarks} its five points in the upright photo (x0, y0, ... x4, y4; null without a usable face), for
     * models outside the app that crop the same face (deploy/models/faceres_vectors.py); {@code reason} why there is
     * no usable face.
     */
    public record Face(String sha256, int detected, float[] embedding, float[] flipped, float[] landmarks, String reason) {
        public boolean found() {
            return embedding != null;
        }
    }

    private final Path modelsDir;
    private final Path cacheDir;
    private final ModelsConfig.Device device;
    private final QualityGate.Rules rules;
    private final String modelId;
    private final String settingsDigest;
    private final String runtime;
    private ModelBundle bundle;
    private FacePipeline pipeline;
    private int fromCache;
    private int computed;

    public PhotoEmbeddings(Path modelsDir, Path cacheRoot, ModelsConfig.Device device) {
        this(modelsDir, cacheRoot, device, QualityGate.Rules.DEFAULTS);
    }

    /** {@code rules}: the quality gate a face must pass to count (the app's defaults unless a study asks otherwise). */
    public PhotoEmbeddings(Path modelsDir, Path cacheRoot, ModelsConfig.Device device, QualityGate.Rules rules) {
        this.modelsDir = modelsDir;
        this.device = device;
        this.rules = rules;
        Path embedderManifest = modelsDir.resolve(ModelBundle.EMBEDDER).resolve("manifest.json");
        if (!Files.isRegularFile(embedderManifest)) {
            throw new ModelUnavailable("no model bundle at " + modelsDir + " (missing " + embedderManifest
                    + "); build it with: deploy/homeward models, or point --models / HOMEWARD_MODELS at one");
        }
        try {
            this.modelId = JSON.readTree(embedderManifest.toFile()).path("name").asText(ModelBundle.EMBEDDER);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + embedderManifest, e);
        }
        // The models must give their known answers on this runtime before anything is computed or reused,
        // and the cache is keyed by the runtime: entries of another libtorch, device or CPU are not reused.
        this.runtime = ModelBundle.requireSelfTest(modelsDir, device).runtime();
        this.settingsDigest = computeSettingsDigest();
        this.cacheDir = cacheRoot == null ? null : cacheRoot.resolve(modelId).resolve(settingsDigest);
    }

    /** The default cache folder: $HOMEWARD_HOME/cache/eval. */
    public static Path defaultCacheRoot() {
        return Main.home().resolve("cache").resolve("eval");
    }

    /** The embedder's package name: what the app stores beside every vector. */
    public String modelId() {
        return modelId;
    }

    public Path modelsDir() {
        return modelsDir;
    }

    public Path cacheDir() {
        return cacheDir;
    }

    public String settingsDigest() {
        return settingsDigest;
    }

    public QualityGate.Rules rules() {
        return rules;
    }

    public int fromCache() {
        return fromCache;
    }

    public int computed() {
        return computed;
    }

    /** The settings that decide what a photo's entry holds, as one line for the report. */
    public String settings() {
        return String.format(Locale.ROOT, "detector max side %d px, max %d pixels, quality gate: inter-ocular >= %.0f px, "
                + "sharpness >= %.1f, |yaw| <= %.2f; the first usable face in detection-score order; photos up to "
                + TightCrop.MAX_SIDE + " px with no face found are framed as tight crops",
                DETECTOR_MAX_SIDE, MAX_PIXELS, rules.minInterOcular(), rules.minSharpness(), rules.maxYaw());
    }

    /** Runs the pipeline on every file not in the cache; with {@code flips}, also embeds each chosen face's mirror. */
    public Map<Path, Face> embed(Collection<Path> files, boolean flips) {
        List<Path> unique = new ArrayList<>(new LinkedHashSet<>(files));
        Map<Path, Face> result = new LinkedHashMap<>();
        List<Path> todo = new ArrayList<>();
        List<String> todoSha = new ArrayList<>();
        for (Path file : unique) {
            String sha = sha256(file);
            Face cached = readCache(sha);
            if (cached != null && (!flips || !cached.found() || cached.flipped() != null)) {
                result.put(file, cached);
                fromCache++;
            } else {
                todo.add(file);
                todoSha.add(sha);
            }
        }
        Progress progress = new Progress("faces", unique.size(), result.size());
        for (int start = 0; start < todo.size(); start += BATCH) {
            int end = Math.min(todo.size(), start + BATCH);
            List<Face> faces = analyse(todo.subList(start, end), todoSha.subList(start, end), flips);
            for (int i = start; i < end; i++) {
                Face face = faces.get(i - start);
                result.put(todo.get(i), face);
                writeCache(todo.get(i), face);
                computed++;
                progress.step();
            }
        }
        progress.done();
        // Keep the caller's order.
        Map<Path, Face> ordered = new LinkedHashMap<>();
        for (Path file : unique) {
            ordered.put(file, result.get(file));
        }
        return ordered;
    }

    private List<Face> analyse(List<Path> files, List<String> shas, boolean flips) {
        FacePipeline pipe = pipeline();
        List<BufferedImage> images = new ArrayList<>();
        List<Integer> imageOf = new ArrayList<>();
        Face[] out = new Face[files.size()];
        for (int i = 0; i < files.size(); i++) {
            try {
                images.add(ImageDecoder.decode(Files.readAllBytes(files.get(i)), MAX_PIXELS).rgb());
                imageOf.add(i);
            } catch (PhotoRejected e) {
                out[i] = new Face(shas.get(i), 0, null, null, null, "unreadable: " + e.getMessage());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + files.get(i), e);
            }
        }
        // The app's own pass: with flips, the pipeline embeds each usable face's mirrored chip in the same batch.
        List<List<FoundFace>> found = images.isEmpty() ? List.of() : pipe.analyse(images, flips);
        for (int k = 0; k < found.size(); k++) {
            int i = imageOf.get(k);
            List<FoundFace> faces = found.get(k);
            FoundFace best = faces.stream().filter(f -> f.embedding() != null).findFirst().orElse(null);
            if (best == null) {
                String reason = faces.isEmpty() ? "no face detected"
                        : "no usable face: " + faces.get(0).quality().reason();
                out[i] = new Face(shas.get(i), faces.size(), null, null, null, reason);
            } else {
                out[i] = new Face(shas.get(i), faces.size(), best.embedding(), flips ? best.mirrored() : null,
                        points(best.landmarks()), null);
            }
        }
        return List.of(out);
    }

    private synchronized FacePipeline pipeline() {
        if (pipeline == null) {
            // No transform here: the eval applies its own --transform to the raw (and mirrored) vectors.
            bundle = new ModelBundle(modelsDir, device, DETECTOR_MAX_SIDE, ModelBundle.NO_TRANSFORM);
            pipeline = new FacePipeline(bundle, new QualityGate(rules), FacePipeline.StepTimer.NONE);
        }
        return pipeline;
    }

    private String computeSettingsDigest() {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            // Not the age estimator's: an entry holds no age, so a retrained estimator keeps the cache.
            for (String pkg : new String[] {ModelBundle.DETECTOR, ModelBundle.LANDMARKS, ModelBundle.EMBEDDER}) {
                Path manifest = modelsDir.resolve(pkg).resolve("manifest.json");
                d.update((pkg + "=").getBytes());
                if (Files.isRegularFile(manifest)) {
                    d.update(Files.readAllBytes(manifest));
                }
            }
            d.update(("format=" + CACHE_FORMAT + ";" + settings() + ";runtime=" + runtime).getBytes());
            return HexFormat.of().formatHex(d.digest()).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model manifests in " + modelsDir, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            byte[] buffer = new byte[1 << 16];
            while (in.read(buffer) >= 0) {
                // digesting
            }
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path cacheFile(String sha) {
        return cacheDir.resolve(sha.substring(0, 2)).resolve(sha + ".json");
    }

    private Face readCache(String sha) {
        if (cacheDir == null) {
            return null;
        }
        Path file = cacheFile(sha);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(file.toFile());
            if (n.path("format").asInt() != CACHE_FORMAT || !sha.equals(n.path("sha256").asText())) {
                return null;
            }
            return new Face(sha, n.path("detected").asInt(), floats(n.get("embedding")), floats(n.get("flipped")),
                    floats(n.get("landmarks")), n.hasNonNull("reason") ? n.get("reason").asText() : null);
        } catch (IOException | RuntimeException e) {
            return null; // a damaged entry is recomputed
        }
    }

    private void writeCache(Path source, Face face) {
        if (cacheDir == null) {
            return;
        }
        ObjectNode n = JSON.createObjectNode();
        n.put("format", CACHE_FORMAT);
        n.put("sha256", face.sha256());
        n.put("model", modelId);
        n.put("file_name", source.getFileName().toString());
        n.put("detected", face.detected());
        putFloats(n, "embedding", face.embedding());
        putFloats(n, "flipped", face.flipped());
        putFloats(n, "landmarks", face.landmarks());
        if (face.reason() != null) {
            n.put("reason", face.reason());
        }
        Path file = cacheFile(face.sha256());
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".entry", ".tmp");
            JSON.writeValue(tmp.toFile(), n);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            System.err.println("[eval] warning: cannot write the cache entry " + file + " (" + e.getMessage() + ")");
        }
    }

    private static float[] points(Landmarks landmarks) {
        float[] xy = new float[2 * Landmarks.COUNT];
        for (int i = 0; i < Landmarks.COUNT; i++) {
            xy[2 * i] = (float) landmarks.x()[i];
            xy[2 * i + 1] = (float) landmarks.y()[i];
        }
        return xy;
    }

    private static void putFloats(ObjectNode n, String key, float[] v) {
        if (v == null) {
            return;
        }
        ArrayNode a = n.putArray(key);
        for (float x : v) {
            a.add(x);
        }
    }

    private static float[] floats(JsonNode a) {
        if (a == null || !a.isArray()) {
            return null;
        }
        float[] v = new float[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) a.get(i).asDouble();
        }
        return v;
    }

    @Override
    public void close() {
        if (bundle != null) {
            bundle.close();
        }
    }
}
