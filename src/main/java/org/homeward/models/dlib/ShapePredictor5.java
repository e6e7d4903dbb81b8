package org.homeward.models.dlib;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.homeward.models.FaceBox;
import org.homeward.models.LandmarkPredictor;
import org.homeward.models.Landmarks;
import org.homeward.models.ModelPackage;
import org.homeward.models.ModelUnavailable;

/**
 * dlib's 5-point shape predictor (package dlib-shape-predictor-5): a cascade of regression-tree
 * forests over grey pixel differences, run in plain Java exactly as dlib::shape_predictor does.
 * Thread-safe: the forests are read once and never change.
 */
public final class ShapePredictor5 implements LandmarkPredictor {

    static final String FILE = "shape_predictor_5.json";

    /** One cascade: its feature pixels and its trees, flattened for speed. */
    private record Cascade(int[] anchor, float[] deltaX, float[] deltaY, int trees, int splits, int leafSize,
            int[] idx1, int[] idx2, float[] thresh, float[] leaves) {
    }

    private final float[] initial;
    private final double[] initialX;
    private final double[] initialY;
    private final Cascade[] cascades;
    private final int parts;

    public ShapePredictor5(ModelPackage pkg) {
        this(pkg.file(FILE));
    }

    /** Reads the converted forests (homeward-dlib-shape-predictor format 1). */
    public ShapePredictor5(Path json) {
        Doc doc;
        try {
            doc = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                    .readValue(json.toFile(), Doc.class);
        } catch (IOException e) {
            throw new ModelUnavailable("cannot read the shape predictor " + json + ": " + e.getMessage(), e);
        }
        if (!"homeward-dlib-shape-predictor".equals(doc.format) || doc.formatVersion != 1) {
            throw new ModelUnavailable(json + " is not a homeward-dlib-shape-predictor file of format 1");
        }
        this.parts = doc.numParts;
        if (parts != Landmarks.COUNT || doc.initialShape.length != 2 * parts) {
            throw new ModelUnavailable(json + ": " + parts + " landmarks, " + Landmarks.COUNT + " expected");
        }
        this.initial = toFloats(doc.initialShape);
        this.initialX = new double[parts];
        this.initialY = new double[parts];
        for (int k = 0; k < parts; k++) {
            initialX[k] = initial[2 * k];
            initialY[k] = initial[2 * k + 1];
        }
        this.cascades = new Cascade[doc.cascades.size()];
        for (int c = 0; c < cascades.length; c++) {
            cascades[c] = pack(doc.cascades.get(c), json);
        }
    }

    /** The number of cascades read (15 for dlib's 5-point model). */
    public int cascadeCount() {
        return cascades.length;
    }

    @Override
    public Landmarks predict(BufferedImage rgb, FaceBox box) {
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        int left = box.left();
        int top = box.top();
        double sx = box.right() - box.left();
        double sy = box.bottom() - box.top();
        float[] cur = initial.clone();
        double[] curX = new double[parts];
        double[] curY = new double[parts];
        float[] feats = new float[0];
        RgbPixels pixels = new RgbPixels(rgb);
        for (Cascade cas : cascades) {
            for (int k = 0; k < parts; k++) {
                curX[k] = cur[2 * k];
                curY[k] = cur[2 * k + 1];
            }
            // only the 2x2 part of the shape-to-shape similarity is used, in float32 as dlib
            SimilarityTransform s = SimilarityTransform.fit(initialX, initialY, curX, curY);
            float a00 = (float) s.a00();
            float a01 = (float) s.a01();
            float a10 = (float) s.a10();
            float a11 = (float) s.a11();
            int n = cas.anchor.length;
            if (feats.length != n) {
                feats = new float[n];
            }
            for (int i = 0; i < n; i++) {
                float dx = cas.deltaX[i];
                float dy = cas.deltaY[i];
                int a = cas.anchor[i];
                float vx = a00 * dx + a01 * dy + cur[2 * a];
                float vy = a10 * dx + a11 * dy + cur[2 * a + 1];
                long px = (long) Math.floor(left + sx * vx + 0.5);
                long py = (long) Math.floor(top + sy * vy + 0.5);
                feats[i] = px >= 0 && px < w && py >= 0 && py < h ? gray(pixels.get((int) px, (int) py)) : 0f;
            }
            int splits = cas.splits;
            int leafSize = cas.leafSize;
            int leavesPerTree = (splits + 1) * leafSize;
            for (int t = 0; t < cas.trees; t++) {
                int base = t * splits;
                int node = 0;
                while (node < splits) {
                    float diff = feats[cas.idx1[base + node]] - feats[cas.idx2[base + node]];
                    node = diff > cas.thresh[base + node] ? 2 * node + 1 : 2 * node + 2;
                }
                int leaf = t * leavesPerTree + (node - splits) * leafSize;
                for (int k = 0; k < leafSize; k++) {
                    cur[k] += cas.leaves[leaf + k];
                }
            }
        }
        double[] x = new double[parts];
        double[] y = new double[parts];
        for (int k = 0; k < parts; k++) {
            x[k] = Math.floor(left + sx * cur[2 * k] + 0.5);
            y[k] = Math.floor(top + sy * cur[2 * k + 1] + 0.5);
        }
        return new Landmarks(x, y);
    }

    /** dlib assign_pixel from rgb to unsigned char: the plain mean, integer division. */
    private static float gray(int rgb) {
        return (((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff)) / 3;
    }

    private Cascade pack(CascadeDoc c, Path json) {
        int n = c.anchorIdx.length;
        float[] dx = new float[n];
        float[] dy = new float[n];
        for (int i = 0; i < n; i++) {
            dx[i] = (float) c.deltas[i][0];
            dy[i] = (float) c.deltas[i][1];
            if (c.anchorIdx[i] < 0 || c.anchorIdx[i] >= parts) {
                throw new ModelUnavailable(json + ": anchor index out of range");
            }
        }
        int trees = c.trees.size();
        int splits = c.trees.get(0).splits.length;
        int leafSize = c.trees.get(0).leafValues[0].length;
        int[] idx1 = new int[trees * splits];
        int[] idx2 = new int[trees * splits];
        float[] thresh = new float[trees * splits];
        float[] leaves = new float[trees * (splits + 1) * leafSize];
        for (int t = 0; t < trees; t++) {
            TreeDoc tree = c.trees.get(t);
            if (tree.splits.length != splits || tree.leafValues.length != splits + 1) {
                throw new ModelUnavailable(json + ": trees of one cascade differ in shape");
            }
            for (int s = 0; s < splits; s++) {
                idx1[t * splits + s] = (int) tree.splits[s][0];
                idx2[t * splits + s] = (int) tree.splits[s][1];
                thresh[t * splits + s] = (float) tree.splits[s][2];
                if (idx1[t * splits + s] >= n || idx2[t * splits + s] >= n) {
                    throw new ModelUnavailable(json + ": split feature index out of range");
                }
            }
            for (int l = 0; l <= splits; l++) {
                if (tree.leafValues[l].length != leafSize || leafSize != 2 * parts) {
                    throw new ModelUnavailable(json + ": leaf vector of the wrong length");
                }
                for (int k = 0; k < leafSize; k++) {
                    leaves[(t * (splits + 1) + l) * leafSize + k] = (float) tree.leafValues[l][k];
                }
            }
        }
        return new Cascade(c.anchorIdx, dx, dy, trees, splits, leafSize, idx1, idx2, thresh, leaves);
    }

    // The file's numbers are float32 written as the shortest decimal: read as double, then cast (the
    // converter checked that this gives back the exact float32).
    private static float[] toFloats(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    static final class Doc {
        @JsonProperty("format")
        String format;
        @JsonProperty("format_version")
        int formatVersion;
        @JsonProperty("num_parts")
        int numParts;
        @JsonProperty("initial_shape")
        double[] initialShape;
        @JsonProperty("cascades")
        List<CascadeDoc> cascades;
    }

    static final class CascadeDoc {
        @JsonProperty("anchor_idx")
        int[] anchorIdx;
        @JsonProperty("deltas")
        double[][] deltas;
        @JsonProperty("trees")
        List<TreeDoc> trees;
    }

    static final class TreeDoc {
        @JsonProperty("splits")
        double[][] splits;
        @JsonProperty("leaf_values")
        double[][] leafValues;
    }
}
