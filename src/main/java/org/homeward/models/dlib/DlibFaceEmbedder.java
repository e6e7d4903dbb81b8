package org.homeward.models.dlib;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.homeward.models.FaceEmbedder;
import org.homeward.models.Landmarks;
import org.homeward.models.ModelPackage;
import org.homeward.models.ModelUnavailable;
import org.homeward.models.ModelsConfig;
import org.homeward.models.TorchModel;

/**
 * dlib's ResNet face descriptor (package dlib-face-embedder-v1): 150x150 chips aligned on the five
 * landmarks exactly as dlib, 128-float descriptors (not normalised; same person below 0.6 Euclidean).
 * Thread-safe: the model gives every thread its own predictor and nothing else is mutable.
 */
public final class DlibFaceEmbedder implements FaceEmbedder, AutoCloseable {

    public static final String MODEL_ID = "dlib-face-embedder-v1";

    private final String modelId;
    private final int chipSize;
    private final double padding;
    private final double[][] template;
    private final int dimension;
    private final TorchModel model;

    public DlibFaceEmbedder(ModelPackage pkg, ModelsConfig.Device device) {
        JsonNode m = pkg.manifest();
        JsonNode alignment = m.path("alignment");
        JsonNode unit = alignment.path("template_unit");
        if (!alignment.isObject() || unit.size() != Landmarks.COUNT) {
            throw new ModelUnavailable("model package " + pkg.name() + " has no 5-point alignment in its manifest; "
                    + "is it a dlib-face-embedder-v1 package?");
        }
        this.modelId = pkg.name();
        this.chipSize = alignment.path("chip_size").asInt(150);
        this.padding = alignment.path("padding").asDouble(0.25);
        this.template = new double[Landmarks.COUNT][];
        for (int i = 0; i < Landmarks.COUNT; i++) {
            template[i] = new double[] {unit.get(i).get(0).asDouble(), unit.get(i).get(1).asDouble()};
        }
        JsonNode outShape = m.path("output").path("shape");
        this.dimension = outShape.size() == 2 ? outShape.get(1).asInt(128) : 128;
        this.model = TorchModel.load(pkg.file("model.pt"), device);
    }

    @Override
    public String modelId() {
        return modelId;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    /** The chip's place in the image (dlib get_face_chip_details(shape, 150, 0.25)). */
    public FaceChip.Details chipDetails(Landmarks landmarks) {
        return FaceChip.details(landmarks, template, chipSize, padding);
    }

    /** The chip as packed 0xRRGGBB pixels, row-major (for inspection and tests). */
    public int[] chipPixels(BufferedImage rgb, Landmarks landmarks) {
        return FaceChip.extract(rgb, chipDetails(landmarks));
    }

    @Override
    public float[] chip(BufferedImage rgb, Landmarks landmarks) {
        return FaceChip.toChw(chipPixels(rgb, landmarks), chipSize, chipSize);
    }

    @Override
    public List<float[]> embed(List<float[]> chips) {
        if (chips.isEmpty()) {
            return List.of();
        }
        int n = chips.size();
        int each = 3 * chipSize * chipSize;
        float[] batch = new float[n * each];
        for (int i = 0; i < n; i++) {
            float[] c = chips.get(i);
            if (c.length != each) {
                throw new IllegalArgumentException("chip " + i + " has " + c.length + " values, " + each + " expected");
            }
            System.arraycopy(c, 0, batch, i * each, each);
        }
        float[] flat = model.run(
                manager -> new NDList(manager.create(batch, new Shape(n, 3, chipSize, chipSize))),
                out -> {
                    NDArray d = out.get(0);
                    if (d.getShape().size() != (long) n * dimension) {
                        throw new IllegalStateException("model " + modelId + " returned shape " + d.getShape()
                                + ", [" + n + ", " + dimension + "] expected");
                    }
                    return d.toFloatArray();
                });
        List<float[]> vectors = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] v = new float[dimension];
            System.arraycopy(flat, i * dimension, v, 0, dimension);
            vectors.add(v);
        }
        return vectors;
    }

    @Override
    public void close() {
        model.close();
    }
}
