package org.homeward.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** DJL's PyTorch engine loads from the bundled natives with offline mode on, and computes. */
class TorchRuntimeTest {

    @Test
    void pytorchEngineLoadsOfflineAndMultipliesMatrices() {
        Engine engine = TorchRuntime.engine();
        assertEquals("PyTorch", engine.getEngineName());
        assertEquals("true", System.getProperty("ai.djl.offline"));
        try (NDManager manager = engine.newBaseManager()) {
            NDArray a = manager.create(new float[] {1, 2, 3, 4}, new ai.djl.ndarray.types.Shape(2, 2));
            NDArray b = manager.create(new float[] {5, 6, 7, 8}, new ai.djl.ndarray.types.Shape(2, 2));
            assertArrayEquals(new float[] {19, 22, 43, 50}, a.matMul(b).toFloatArray(), 1e-6f);
        }
        System.out.println("DJL engine " + engine.getEngineName() + " " + engine.getVersion() + " loaded offline");
    }
}
