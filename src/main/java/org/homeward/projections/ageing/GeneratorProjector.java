package org.homeward.projections.ageing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.homeward.models.Landmarks;
import org.homeward.models.ModelPackage;
import org.homeward.models.ModelUnavailable;
import org.homeward.models.ModelsConfig;
import org.homeward.models.TorchModel;

/**
 * A learned face-ageing generator in a model package (task {@value #TASK}), run through DJL's PyTorch engine on
 * the configured device: MTLFace's ager as deploy/models/export_mtlface.py exports it, or any TorchScript module
 * of the same contract. Contract: input 0 an image [N, 3, 112, 112] float32, RGB scaled to [-1, 1] (x / 127.5 -
 * 1), the face aligned by {@link ArcFaceAlignment}; input 1 the target age group [N] int64 (MTLFace's 7 groups,
 * {@link #GROUPS}); output 0 the image at that age, [N, 3, 112, 112] in [-1, 1]. A package traced at a fixed
 * batch (manifest input.batch, 7 for MTLFace's ager) is fed full batches, the last one padded. Thread-safe.
 */
public final class GeneratorProjector implements AgeProjector {

    public static final String TASK = "age-generator";
    public static final String METHOD = "generator";
    public static final int SIZE = ArcFaceAlignment.SIZE;

    /** MTLFace's age groups: 0: up to 10, 1: 11-20, 2: 21-30, 3: 31-40, 4: 41-50, 5: 51-60, 6: over 60. */
    public static final String[] GROUPS = {"0-10", "11-20", "21-30", "31-40", "41-50", "51-60", "61+"};

    private final Model identity;
    private final int batch;
    private final TorchModel model;

    private GeneratorProjector(String modelId, String version, int batch, TorchModel model) {
        this.identity = new Model(modelId, version, METHOD);
        this.batch = batch;
        this.model = model;
    }

    /** Opens a generator package (checksums verified) on the device. */
    public static GeneratorProjector open(Path dir, ModelsConfig.Device device) {
        ModelPackage pkg = ModelPackage.open(dir);
        JsonNode m = pkg.manifest();
        String where = "model package " + pkg.name();
        if (!TASK.equals(m.path("task").asText())) {
            throw new ModelUnavailable(where + " is not an age generator (task '" + m.path("task").asText() + "', expected '"
                    + TASK + "')");
        }
        JsonNode shape = m.path("input").path("image").path("shape");
        if (shape.size() != 4 || shape.get(1).asInt() != 3 || shape.get(2).asInt() != SIZE || shape.get(3).asInt() != SIZE) {
            throw new ModelUnavailable(where + ": input.image.shape must be [N, 3, " + SIZE + ", " + SIZE + "], not " + shape);
        }
        if (m.path("input").path("age_group").path("groups").size() != GROUPS.length) {
            throw new ModelUnavailable(where + ": input.age_group.groups must list MTLFace's " + GROUPS.length + " age groups");
        }
        String file = m.path("model_file").asText("model.pt");
        if (!m.path("files").has(file)) {
            throw new ModelUnavailable(where + ": " + file + " is not listed (with its checksum) in the manifest");
        }
        int batch = shape.get(0).isInt() ? shape.get(0).asInt() : 0;
        return new GeneratorProjector(pkg.name(), pkg.version(), batch, TorchModel.load(pkg.file(file), device));
    }

    @Override
    public Model model() {
        return identity;
    }

    /** The fixed batch size of the traced module, or 0 when any batch size runs. */
    public int batch() {
        return batch;
    }

    /** MTLFace's age group index of an age. */
    public static int group(double age) {
        if (age <= 10) {
            return 0;
        }
        return Math.min(6, (int) Math.ceil((age - 10) / 10.0));
    }

    @Override
    public String ageGroup(double age) {
        return GROUPS[group(age)];
    }

    @Override
    public List<Rendered> project(BufferedImage photo, Landmarks landmarks, double sourceAge, List<Double> targetAges) {
        float[] face = ArcFaceAlignment.input(ArcFaceAlignment.align(photo, landmarks));
        List<float[]> faces = new ArrayList<>();
        int[] groups = new int[targetAges.size()];
        for (int i = 0; i < groups.length; i++) {
            faces.add(face);
            groups[i] = group(targetAges.get(i));
        }
        List<float[]> images = generate(faces, groups);
        Landmarks moved = ArcFaceAlignment.landmarks();
        List<Rendered> out = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            out.add(new Rendered(targetAges.get(i), GROUPS[groups[i]], ArcFaceAlignment.image(images.get(i)), moved));
        }
        return out;
    }

    @Override
    public BufferedImage sourceFrame(BufferedImage photo, Landmarks landmarks) {
        return ArcFaceAlignment.align(photo, landmarks).toBufferedImage();
    }

    /**
     * Runs the generator: each face ([3 x 112 x 112] in [-1, 1]) at its group, in batches of the package's size
     * (the last one padded by repeating its final face), one output per input, in order.
     */
    public List<float[]> generate(List<float[]> faces, int[] groups) {
        if (faces.size() != groups.length) {
            throw new IllegalArgumentException(faces.size() + " faces and " + groups.length + " age groups");
        }
        int each = 3 * SIZE * SIZE;
        int step = batch > 0 ? batch : Math.max(1, faces.size());
        List<float[]> out = new ArrayList<>(faces.size());
        for (int start = 0; start < faces.size(); start += step) {
            int real = Math.min(step, faces.size() - start);
            int n = batch > 0 ? batch : real;
            float[] images = new float[n * each];
            long[] ages = new long[n];
            for (int i = 0; i < n; i++) {
                int k = start + Math.min(i, real - 1);
                float[] f = faces.get(k);
                if (f.length != each) {
                    throw new IllegalArgumentException("face " + k + " has " + f.length + " values, " + each + " expected");
                }
                if (groups[k] < 0 || groups[k] >= GROUPS.length) {
                    throw new IllegalArgumentException("age group " + groups[k] + " is not one of MTLFace's 0.." + (GROUPS.length - 1));
                }
                System.arraycopy(f, 0, images, i * each, each);
                ages[i] = groups[k];
            }
            float[] flat = model.run(
                    manager -> new NDList(manager.create(images, new Shape(n, 3, SIZE, SIZE)), manager.create(ages, new Shape(n))),
                    result -> {
                        NDArray y = result.get(0);
                        if (y.getShape().size() != (long) n * each) {
                            throw new IllegalStateException("generator " + identity.id() + " returned shape " + y.getShape() + ", ["
                                    + n + ", 3, " + SIZE + ", " + SIZE + "] expected");
                        }
                        return y.toFloatArray();
                    });
            for (int i = 0; i < real; i++) {
                float[] img = new float[each];
                System.arraycopy(flat, i * each, img, 0, each);
                out.add(img);
            }
        }
        return out;
    }
}
