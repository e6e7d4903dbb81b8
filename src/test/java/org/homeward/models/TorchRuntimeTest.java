package org.homeward.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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

    @Test
    void aGpuIsRefusedUnlessTf32IsSwitchedOffForNvidiasLibraries() {
        assertTrue(TorchRuntime.tf32Problem(Map.of(TorchRuntime.TF32_OVERRIDE, "0")).isEmpty());
        String unset = TorchRuntime.tf32Problem(Map.of()).orElseThrow();
        assertTrue(unset.contains("NVIDIA_TF32_OVERRIDE is not set") && unset.contains("NVIDIA_TF32_OVERRIDE=0"), unset);
        String one = TorchRuntime.tf32Problem(Map.of(TorchRuntime.TF32_OVERRIDE, "1")).orElseThrow();
        assertTrue(one.contains("is '1'"), one);
    }

    @Test
    void theLauncherAndTheImagesSwitchTf32Off() throws Exception {
        for (String file : new String[] {"deploy/lib/common.sh", "deploy/docker/Dockerfile",
                "deploy/k8s/base/worker-deployment.yaml"}) {
            String text = Files.readString(Path.of(file));
            assertTrue(text.matches("(?s).*NVIDIA_TF32_OVERRIDE(=0|\\s+value: \"0\").*"), file + " does not set NVIDIA_TF32_OVERRIDE to 0");
        }
    }
}
