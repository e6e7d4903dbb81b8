package org.homeward.projections.ageing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
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
import org.homeward.projections.imaging.TextureBands;

/**
 * The age prototypes as a model package ({@code homeward-age-prototypes-v2}): manifest.json, prototypes.json
 * (frame, reference shape, each group's ages, counts and mean shape), one PNG mean image per group and one
 * 16-bit grey PNG per group holding its texture bands' strengths one above the other. Aggregate
 * statistics only. Written byte for byte the same from the same data, so a rebuild can be checked against the
 * committed copy.
 */
public final class PrototypePackage {

    public static final String NAME = "homeward-age-prototypes-v2";
    public static final String VERSION = "2.1.0";
    /** Texture strengths are stored as 16-bit grey levels of 1/256 luma level (strengths stay far below 256). */
    private static final double STRENGTH_STEP = 256;
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
        JsonNode method = m.path("method");
        PrototypeProjector.Weights weights = new PrototypeProjector.Weights(method.path("appearance_weight").asDouble(0),
                method.path("texture_weight").asDouble(0), method.path("shape_weight").asDouble(1),
                method.path("cranium_weight").asDouble(0));
        return new PrototypeProjector(prototypes, pkg.name(), pkg.version(), weights);
    }

    private static AgePrototypes read(ModelPackage pkg, String where) {
        try {
            JsonNode p = JSON.readTree(Files.readAllBytes(pkg.file(PARAMETERS)));
            ProjectionFrame frame = new ProjectionFrame(p.path("frame").path("size").asInt(), p.path("frame").path("padding").asDouble());
            int imageSize = p.path("image_size").asInt();
            int textureSize = p.path("texture_size").asInt();
            int[] five = new int[5];
            for (int i = 0; i < 5; i++) {
                five[i] = p.path("five_points").path(i).asInt();
            }
            List<AgePrototypes.Group> groups = new ArrayList<>();
            for (JsonNode g : p.path("groups")) {
                ColourImage image = ColourImage.of(ImageIO.read(listed(pkg, g.path("image").asText(), where).toFile()));
                float[][] texture = strengths(ImageIO.read(listed(pkg, g.path("texture").asText(), where).toFile()), textureSize);
                groups.add(new AgePrototypes.Group(g.path("label").asText(), g.path("min_age").asInt(), g.path("max_age").asInt(),
                        g.path("mean_age").asDouble(), g.path("photos").asInt(), g.path("identities").asInt(),
                        points(g.path("shape"), where), image, texture));
            }
            return new AgePrototypes(frame, imageSize, textureSize, five, points(p.path("reference"), where), groups);
        } catch (IOException e) {
            throw new ModelUnavailable(where + ": cannot read its files (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            if (e instanceof ModelUnavailable u) {
                throw u;
            }
            throw new ModelUnavailable(where + ": malformed " + PARAMETERS + " (" + e.getMessage() + ")", e);
        }
    }

    private static Path listed(ModelPackage pkg, String file, String where) {
        if (!pkg.manifest().path("files").has(file)) {
            throw new ModelUnavailable(where + ": " + file + " is not listed (with its checksum) in the manifest");
        }
        return pkg.file(file);
    }

    /**
     * Writes the package into {@code dir}: the prototypes, a manifest with {@code provenance} (where the data
     * came from) and the projector's {@code weights}; a "search" block already in dir's manifest
     * is kept (it is set from the evaluation's figures, docs/projections.md).
     */
    public static void write(Path dir, AgePrototypes prototypes, PrototypeProjector.Weights weights, ObjectNode provenance) {
        try {
            Files.createDirectories(dir);
            Map<String, byte[]> files = new TreeMap<>();
            ObjectNode p = JSON.createObjectNode();
            p.putObject("frame").put("size", prototypes.frame().size()).put("padding", prototypes.frame().padding());
            p.put("image_size", prototypes.imageSize());
            p.put("texture_size", prototypes.textureSize());
            ArrayNode five = p.putArray("five_points");
            for (int i : prototypes.fivePoints()) {
                five.add(i);
            }
            putPoints(p.putArray("reference"), prototypes.reference());
            ArrayNode groups = p.putArray("groups");
            for (AgePrototypes.Group g : prototypes.groups()) {
                String file = "mean-" + g.label().replace('+', 'p') + ".png";
                String textureFile = "texture-" + g.label().replace('+', 'p') + ".png";
                ObjectNode n = groups.addObject();
                n.put("label", g.label());
                n.put("min_age", g.minAge());
                n.put("max_age", g.maxAge());
                n.put("mean_age", g.meanAge());
                n.put("photos", g.photos());
                n.put("identities", g.identities());
                n.put("image", file);
                n.put("texture", textureFile);
                putPoints(n.putArray("shape"), g.shape());
                files.put(file, png(g.image()));
                files.put(textureFile, png(g.texture(), prototypes.textureSize()));
            }
            files.put(PARAMETERS, (JSON.writeValueAsString(p) + "\n").getBytes(StandardCharsets.UTF_8));

            ObjectNode man = manifest(prototypes, weights, provenance);
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

    private static ObjectNode manifest(AgePrototypes prototypes, PrototypeProjector.Weights weights, ObjectNode provenance) {
        ObjectNode man = JSON.createObjectNode();
        man.put("name", NAME);
        man.put("version", VERSION);
        man.put("task", TASK);
        man.put("format", "json-parameters+png");
        man.put("licence", "LicenseRef-Homeward-research-use");
        man.put("licence_note", "Aggregate statistics of the FG-NET Aging Database (dev half), which is licensed for research"
                + " use only: per age group, the mean of the hand-placed 68-point shapes, the mean image and the mean texture strengths of at least "
                + MIN_PHOTOS + " photos of at least " + MIN_IDENTITIES
                + " people. No photo, face or shape of a person is stored. Treat as research use; rebuild from data"
                + " licensed for your use before an operational deployment.");
        ObjectNode method = man.putObject("method");
        method.put("name", PrototypeProjector.METHOD);
        method.put("appearance_weight", weights.appearance());
        method.put("texture_weight", weights.texture());
        method.put("shape_weight", weights.shape());
        if (weights.cranium() != 0) {
            // absent means 0, so packages made before the cranium existed read as they were written
            method.put("cranium_weight", weights.cranium());
        }
        method.put("description", "align the face into the frame by its 5 landmarks (similarity onto dlib's template);"
                + " warp it by a thin-plate spline that takes the mean shape at the child's age plus shape_weight times"
                + " the difference to the mean shape at the target age onto the mean shape at the child's age (backward"
                + " map); inside the face, scale each of its " + TextureBands.COUNT + " texture bands"
                + " (differences of blurs of luma) by the ratio of the two ages' mean band strengths to the power"
                + " texture_weight, and add appearance_weight times the difference of the two ages' mean images (luma, each"
                + " image's mean over the face removed). Means between groups are interpolated linearly in age."
                + (weights.cranium() == 0 ? "" : " Above the eye line the head takes the cardioidal strain whose k grows"
                        + " the mean shapes' chin as they do, times cranium_weight.")
                + " docs/projections.md");
        method.put("references", "Rowland & Perrett 1995 (prototype shape and colour transforms); Tiddeman, Burt & Perrett 2001"
                + " (prototyping and transforming facial textures); Bookstein 1989 (thin-plate splines)");
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

    /** A strength as the package stores it: a multiple of 1/256 from 0 to 65535/256. */
    public static float quantisedStrength(double strength) {
        return (float) (Math.max(0, Math.min(65535, Math.round(strength * STRENGTH_STEP))) / STRENGTH_STEP);
    }

    /** The bands' strengths one above the other in a 16-bit grey image, size wide and bands x size high. */
    private static byte[] png(float[][] bands, int size) throws IOException {
        BufferedImage image = new BufferedImage(size, bands.length * size, BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster raster = image.getRaster();
        for (int b = 0; b < bands.length; b++) {
            for (int i = 0; i < size * size; i++) {
                raster.setSample(i % size, b * size + i / size, 0, (int) Math.round(bands[b][i] * STRENGTH_STEP));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static float[][] strengths(BufferedImage image, int size) {
        if (image == null || image.getWidth() != size || image.getHeight() != TextureBands.COUNT * size
                || image.getRaster().getSampleModel().getSampleSize(0) != 16) {
            throw new IllegalArgumentException("a texture image is not 16-bit grey, " + size + " x " + TextureBands.COUNT * size);
        }
        Raster raster = image.getRaster();
        float[][] bands = new float[TextureBands.COUNT][size * size];
        for (int b = 0; b < bands.length; b++) {
            for (int i = 0; i < size * size; i++) {
                bands[b][i] = (float) (raster.getSample(i % size, b * size + i / size, 0) / STRENGTH_STEP);
            }
        }
        return bands;
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
