package org.homeward.projections.ageing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.homeward.models.ModelPackage;
import org.homeward.models.ModelUnavailable;
import org.homeward.projections.imaging.ColourImage;
import org.homeward.projections.imaging.ProjectionFrame;

/**
 * The age prototypes as a model package ({@code homeward-age-prototypes-v1}): manifest.json, prototypes.json
 * (frame, reference shape, each group's ages, counts and mean shape) and one PNG mean image per group. Aggregate
 * statistics only. Written byte for byte the same from the same data, so a rebuild can be checked against the
 * committed copy.
 */
public final class PrototypePackage {

    public static final String NAME = "homeward-age-prototypes-v1";
    public static final String VERSION = "1.0.0";
    public static final String TASK = "age-projection";
    static final String PARAMETERS = "prototypes.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PrototypePackage() {
    }

    /** Opens an installed package (checksums verified) as the default projector. */
    public static PrototypeProjector open(Path dir) {
        ModelPackage pkg = ModelPackage.open(dir);
        JsonNode m = pkg.manifest();
        String where = "model package " + pkg.name();
        if (!TASK.equals(m.path("task").asText()) || !PrototypeProjector.METHOD.equals(m.path("method").path("name").asText())) {
            throw new ModelUnavailable(where + " is not an age-prototype package (task '" + m.path("task").asText() + "')");
        }
        if (!m.path("files").has(PARAMETERS)) {
            throw new ModelUnavailable(where + ": " + PARAMETERS + " is not listed (with its checksum) in the manifest");
        }
        AgePrototypes prototypes = read(pkg, where);
        double appearance = m.path("method").path("appearance_weight").asDouble(0);
        return new PrototypeProjector(prototypes, pkg.name(), pkg.version(), appearance);
    }

    private static AgePrototypes read(ModelPackage pkg, String where) {
        try {
            JsonNode p = JSON.readTree(Files.readAllBytes(pkg.file(PARAMETERS)));
            ProjectionFrame frame = new ProjectionFrame(p.path("frame").path("size").asInt(), p.path("frame").path("padding").asDouble());
            int imageSize = p.path("image_size").asInt();
            int[] five = new int[5];
            for (int i = 0; i < 5; i++) {
                five[i] = p.path("five_points").path(i).asInt();
            }
            List<AgePrototypes.Group> groups = new ArrayList<>();
            for (JsonNode g : p.path("groups")) {
                String file = g.path("image").asText();
                if (!pkg.manifest().path("files").has(file)) {
                    throw new ModelUnavailable(where + ": " + file + " is not listed (with its checksum) in the manifest");
                }
                ColourImage image = ColourImage.of(ImageIO.read(pkg.file(file).toFile()));
                groups.add(new AgePrototypes.Group(g.path("label").asText(), g.path("min_age").asInt(), g.path("max_age").asInt(),
                        g.path("mean_age").asDouble(), g.path("photos").asInt(), g.path("identities").asInt(),
                        points(g.path("shape"), where), image));
            }
            return new AgePrototypes(frame, imageSize, five, points(p.path("reference"), where), groups);
        } catch (IOException e) {
            throw new ModelUnavailable(where + ": cannot read its files (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            if (e instanceof ModelUnavailable u) {
                throw u;
            }
            throw new ModelUnavailable(where + ": malformed " + PARAMETERS + " (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Writes the package into {@code dir}: the prototypes, a manifest with {@code provenance} (where the data
     * came from) and {@code appearance}; a "search" block already in dir's manifest is kept (it is set from the
     * evaluation's figures, docs/projections.md).
     */
    public static void write(Path dir, AgePrototypes prototypes, double appearance, ObjectNode provenance) {
        try {
            Files.createDirectories(dir);
            Map<String, byte[]> files = new TreeMap<>();
            ObjectNode p = JSON.createObjectNode();
            p.putObject("frame").put("size", prototypes.frame().size()).put("padding", prototypes.frame().padding());
            p.put("image_size", prototypes.imageSize());
            ArrayNode five = p.putArray("five_points");
            for (int i : prototypes.fivePoints()) {
                five.add(i);
            }
            putPoints(p.putArray("reference"), prototypes.reference());
            ArrayNode groups = p.putArray("groups");
            for (AgePrototypes.Group g : prototypes.groups()) {
                String file = "mean-" + g.label().replace('+', 'p') + ".png";
                ObjectNode n = groups.addObject();
                n.put("label", g.label());
                n.put("min_age", g.minAge());
                n.put("max_age", g.maxAge());
                n.put("mean_age", g.meanAge());
                n.put("photos", g.photos());
                n.put("identities", g.identities());
                n.put("image", file);
                putPoints(n.putArray("shape"), g.shape());
                files.put(file, png(g.image()));
            }
            files.put(PARAMETERS, (JSON.writeValueAsString(p) + "\n").getBytes(StandardCharsets.UTF_8));

            ObjectNode man = manifest(prototypes, appearance, provenance);
            JsonNode old = Files.isRegularFile(dir.resolve("manifest.json")) ? JSON.readTree(dir.resolve("manifest.json").toFile()) : null;
            if (old != null && old.has("search")) {
                man.set("search", old.get("search"));
            }
            ObjectNode listed = man.putObject("files");
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Files.write(dir.resolve(f.getKey()), f.getValue());
                listed.putObject(f.getKey()).put("sha256", sha256(f.getValue())).put("bytes", f.getValue().length);
            }
            Files.writeString(dir.resolve("manifest.json"), JSON.writeValueAsString(man) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the package to " + dir, e);
        }
    }

    /** What the licence note promises of every age group's mean: at least this many photos of this many people. */
    public static final int MIN_PHOTOS = 10;
    public static final int MIN_IDENTITIES = 5;

    private static ObjectNode manifest(AgePrototypes prototypes, double appearance, ObjectNode provenance) {
        ObjectNode man = JSON.createObjectNode();
        man.put("name", NAME);
        man.put("version", VERSION);
        man.put("task", TASK);
        man.put("format", "json-parameters+png");
        man.put("licence", "LicenseRef-Homeward-research-use");
        man.put("licence_note", "Aggregate statistics of the FG-NET Aging Database (dev half), which is licensed for research"
                + " use only: per age group, the mean of the hand-placed 68-point shapes and the mean image of at least "
                + MIN_PHOTOS + " photos of at least " + MIN_IDENTITIES
                + " people. No photo, face or shape of a person is stored. Treat as research use; rebuild from data"
                + " licensed for your use before an operational deployment.");
        ObjectNode method = man.putObject("method");
        method.put("name", PrototypeProjector.METHOD);
        method.put("appearance_weight", appearance);
        method.put("description", "align the face into the frame by its 5 landmarks (similarity onto dlib's template);"
                + " warp it by a thin-plate spline that takes the mean shape at the target age onto the mean shape at the"
                + " child's age (backward map); add appearance_weight times the difference of the two ages' mean images"
                + " (luma, face region, each image's mean over the face removed). Means between groups are interpolated"
                + " linearly in age. docs/projections.md");
        method.put("references", "Rowland & Perrett 1995 (prototype shape and colour transforms); Bookstein 1989 (thin-plate splines)");
        ObjectNode frame = man.putObject("frame");
        frame.put("size", prototypes.frame().size());
        frame.put("padding", prototypes.frame().padding());
        frame.put("alignment", "similarity (least squares) of the 5 dlib landmarks onto dlib's unit template: point u lands at"
                + " (padding + u) / (2 padding + 1) * size");
        ObjectNode output = man.putObject("output");
        output.put("image", "RGB, frame.size square, 8-bit: the face at the target age, with its 5 landmarks moved by the warp");
        ArrayNode groups = man.putArray("age_groups");
        for (AgePrototypes.Group g : prototypes.groups()) {
            groups.addObject().put("label", g.label()).put("mean_age", g.meanAge()).put("photos", g.photos())
                    .put("identities", g.identities());
        }
        man.set("source", provenance);
        return man;
    }

    private static void putPoints(ArrayNode into, double[] flat) {
        for (int i = 0; i < flat.length; i += 2) {
            into.addArray().add(flat[i]).add(flat[i + 1]);
        }
    }

    private static double[] points(JsonNode array, String where) {
        if (!array.isArray() || array.isEmpty()) {
            throw new ModelUnavailable(where + ": a shape is missing");
        }
        double[] out = new double[2 * array.size()];
        for (int i = 0; i < array.size(); i++) {
            out[2 * i] = array.get(i).path(0).asDouble(Double.NaN);
            out[2 * i + 1] = array.get(i).path(1).asDouble(Double.NaN);
            if (!Double.isFinite(out[2 * i]) || !Double.isFinite(out[2 * i + 1])) {
                throw new ModelUnavailable(where + ": point " + i + " of a shape is not two numbers");
            }
        }
        return out;
    }

    static byte[] png(ColourImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image.toBufferedImage(), "png", out);
        return out.toByteArray();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
