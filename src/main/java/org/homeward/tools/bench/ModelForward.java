package org.homeward.tools.bench;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import org.homeward.models.ModelsConfig;
import org.homeward.models.TorchModel;

/**
 * A model's TorchScript file loaded a second time, beside the one the pipeline uses, so that its forward pass
 * can be timed alone on an input built beforehand. {@link Timing#predictNanos} is the predictor's call only
 * (from the input tensor being ready to the output being handed back); {@link Timing#runNanos} adds the copy of
 * the Java floats into the native tensor and of the output back out.
 */
public final class ModelForward implements AutoCloseable {

    /** The two clocks of one forward call. */
    public record Timing(long predictNanos, long runNanos, float[] output) {
    }

    private final TorchModel model;

    private ModelForward(TorchModel model) {
        this.model = model;
    }

    public static ModelForward load(Path torchScript, ModelsConfig.Device device) {
        return new ModelForward(TorchModel.load(torchScript, device));
    }

    public Timing run(float[] data, Shape shape) {
        long[] stamps = new long[2];
        long start = System.nanoTime();
        float[] out = model.run(manager -> {
            NDList in = new NDList(manager.create(data, shape));
            stamps[0] = System.nanoTime();
            return in;
        }, result -> {
            stamps[1] = System.nanoTime();
            return result.get(0).toFloatArray();
        });
        long end = System.nanoTime();
        return new Timing(stamps[1] - stamps[0], end - start, out);
    }

    @Override
    public void close() {
        model.close();
    }
}
