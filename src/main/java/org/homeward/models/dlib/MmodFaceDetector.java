package org.homeward.models.dlib;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.homeward.models.FaceBox;
import org.homeward.models.FaceDetector;
import org.homeward.models.ModelPackage;
import org.homeward.models.ModelUnavailable;
import org.homeward.models.ModelsConfig;
import org.homeward.models.TorchModel;

/**
 * dlib's MMOD CNN face detector (package dlib-face-detector-mmod): tiled pyramid, the TorchScript
 * score map, cells to boxes, and dlib's non-maximum suppression, as its manifest describes.
 * Thread-safe: the model gives every thread its own predictor and nothing else is mutable.
 */
public final class MmodFaceDetector implements FaceDetector, AutoCloseable {

    /** The detector's raw output for one image, with the pyramid it ran on. */
    public record ScoreMap(int rows, int cols, float[] values, TiledPyramid pyramid) {

        public float at(int row, int col) {
            return values[row * cols + col];
        }
    }

    private final TorchModel model;
    private final float[] background;
    private final int padding;
    private final int outerPadding;
    private final double cellStride;
    private final double cellOffset;
    private final int windowWidth;
    private final int windowHeight;
    private final double threshold;
    private final NonMaxSuppression nms;
    private final int maxSide;

    /** The detector at full resolution, exactly as dlib. */
    public MmodFaceDetector(ModelPackage pkg, ModelsConfig.Device device) {
        this(pkg, device, 0);
    }

    /**
     * {@code maxSide} is a cost guard, 0 for none: a larger image is first shrunk (area average) so that its
     * longer side is {@code maxSide}, and the boxes are scaled back. The tiled pyramid has about 3.6 x the image's
     * pixels, in float32 x 3 channels (a 12 MP photo: about 520 MB, the same again as the model's input tensor, more
     * for the first convolutions, and several seconds of CPU), while a face needs only be about 80 px wide at the
     * scale the detector sees. Boxes of a shrunk image are close to, not equal to, dlib's full-size ones.
     */
    public MmodFaceDetector(ModelPackage pkg, ModelsConfig.Device device, int maxSide) {
        if (maxSide < 0) {
            throw new IllegalArgumentException("maxSide must be 0 (none) or positive");
        }
        JsonNode m = pkg.manifest();
        JsonNode det = m.path("detection");
        JsonNode mean = m.path("input").path("normalisation").path("mean");
        if (!det.isObject() || mean.size() != 3) {
            throw new ModelUnavailable("model package " + pkg.name() + " has no detection section or input mean in "
                    + "its manifest; is it a dlib-face-detector-mmod package?");
        }
        this.background = new float[] {(float) mean.get(0).asDouble(), (float) mean.get(1).asDouble(),
            (float) mean.get(2).asDouble()};
        JsonNode pyramid = det.path("pyramid");
        this.padding = pyramid.path("padding").asInt(10);
        this.outerPadding = pyramid.path("outer_padding").asInt(11);
        JsonNode cell = det.path("model_output_cell_to_tiled_pixel");
        this.cellStride = cell.path("stride").asDouble(8.0);
        this.cellOffset = cell.path("offset").asDouble(14.0);
        JsonNode window = det.path("detector_window");
        this.windowWidth = window.path("width").asInt(80);
        this.windowHeight = window.path("height").asInt(80);
        this.threshold = det.path("score_threshold").asDouble(0.0);
        JsonNode nmsNode = det.path("nms");
        this.nms = new NonMaxSuppression(nmsNode.path("iou_thresh").asDouble(0.3382761351109955),
                nmsNode.path("percent_covered_thresh").asDouble(1.0));
        this.maxSide = maxSide;
        this.model = TorchModel.load(pkg.file("model.pt"), device);
    }

    @Override
    public List<FaceBox> detect(BufferedImage rgb) {
        int longer = Math.max(rgb.getWidth(), rgb.getHeight());
        if (maxSide == 0 || longer <= maxSide) {
            return decode(scores(rgb));
        }
        double scale = (double) maxSide / longer;
        BufferedImage small = AreaDownscale.scale(rgb, scale);
        double sx = (double) rgb.getWidth() / small.getWidth();
        double sy = (double) rgb.getHeight() / small.getHeight();
        List<FaceBox> out = new ArrayList<>();
        for (FaceBox b : decode(scores(small))) {
            out.add(new FaceBox((int) Math.round(b.left() * sx), (int) Math.round(b.top() * sy),
                    (int) Math.round((b.right() + 1) * sx) - 1, (int) Math.round((b.bottom() + 1) * sy) - 1, b.score()));
        }
        return out;
    }

    /** The pyramid and the model's score map for {@code rgb} at its own size (no downscale). */
    public ScoreMap scores(BufferedImage rgb) {
        TiledPyramid pyramid = TiledPyramid.build(rgb, padding, outerPadding, background);
        return model.run(
                manager -> new NDList(manager.create(pyramid.data(), new Shape(1, 3, pyramid.rows(), pyramid.cols()))),
                out -> {
                    NDArray s = out.get(0);
                    Shape shape = s.getShape();
                    int rows = (int) shape.get(shape.dimension() - 2);
                    int cols = (int) shape.get(shape.dimension() - 1);
                    return new ScoreMap(rows, cols, s.toFloatArray(), pyramid);
                });
    }

    /**
     * dlib loss_mmod to_label: every cell above the threshold becomes the detector window centred on it, mapped
     * from the tiled image back to the photo and rounded; then non-maximum suppression.
     */
    public List<FaceBox> decode(ScoreMap map) {
        double halfW = (windowWidth - 1) / 2.0;
        double halfH = (windowHeight - 1) / 2.0;
        List<FaceBox> candidates = new ArrayList<>();
        for (int r = 0; r < map.rows; r++) {
            for (int c = 0; c < map.cols; c++) {
                float score = map.values[r * map.cols + c];
                if (!(score > threshold)) {
                    continue;
                }
                double px = cellStride * c + cellOffset;
                double py = cellStride * r + cellOffset;
                double[] box = map.pyramid.toImage(px - halfW, py - halfH, px + halfW, py + halfH);
                candidates.add(new FaceBox((int) TiledPyramid.roundHalfUp(box[0]), (int) TiledPyramid.roundHalfUp(box[1]),
                        (int) TiledPyramid.roundHalfUp(box[2]), (int) TiledPyramid.roundHalfUp(box[3]), score));
            }
        }
        return nms.apply(candidates);
    }

    @Override
    public void close() {
        model.close();
    }
}
