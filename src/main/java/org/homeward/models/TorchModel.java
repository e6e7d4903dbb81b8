package org.homeward.models;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * A TorchScript module loaded through DJL's PyTorch engine, on the configured device. Predictors are
 * not thread-safe, so each thread gets its own over the one shared model.
 */
public final class TorchModel implements AutoCloseable {

    private final ZooModel<NDList, NDList> model;
    private final ThreadLocal<Predictor<NDList, NDList>> predictors;

    private TorchModel(ZooModel<NDList, NDList> model) {
        this.model = model;
        this.predictors = ThreadLocal.withInitial(() -> model.newPredictor(new NoopTranslator()));
    }

    /** Loads {@code file} (a TorchScript .pt) on the device the configuration asks for. */
    public static TorchModel load(Path file, ModelsConfig.Device device) {
        TorchRuntime.engine();
        try {
            Criteria<NDList, NDList> criteria = Criteria.builder()
                    .setTypes(NDList.class, NDList.class)
                    .optEngine(TorchRuntime.ENGINE)
                    .optModelPath(file)
                    .optDevice(TorchRuntime.device(device))
                    .optTranslator(new NoopTranslator())
                    .build();
            return new TorchModel(criteria.loadModel());
        } catch (IOException | ModelNotFoundException | MalformedModelException e) {
            throw new ModelUnavailable("cannot load TorchScript model " + file + ": " + e.getMessage(), e);
        }
    }

    public Device device() {
        return model.getNDManager().getDevice();
    }

    /**
     * Runs the model: {@code input} builds the input arrays on a manager that is freed afterwards, and
     * {@code output} copies what it needs out of the result before the arrays are gone.
     */
    public <T> T run(Function<NDManager, NDList> input, Function<NDList, T> output) {
        try (NDManager scope = model.getNDManager().newSubManager()) {
            NDList in = input.apply(scope);
            NDList out = predictors.get().predict(in);
            try {
                return output.apply(out);
            } finally {
                out.close();
            }
        } catch (TranslateException e) {
            throw new IllegalStateException("model " + model.getName() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
