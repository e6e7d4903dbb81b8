package org.homeward.models;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * DJL's PyTorch engine, loaded from the natives bundled in the jar and never from the network.
 * Every model in Homeward runs through this one engine.
 */
public final class TorchRuntime {

    public static final String ENGINE = "PyTorch";
    /** NVIDIA's switch for TF32 arithmetic in cuDNN and cuBLAS, read once when the libraries load. */
    public static final String TF32_OVERRIDE = "NVIDIA_TF32_OVERRIDE";

    private TorchRuntime() {
    }

    /** The PyTorch engine, with DJL's offline mode forced on so a missing native fails loudly instead of downloading. */
    public static Engine engine() {
        System.setProperty("ai.djl.offline", "true");
        try {
            return Engine.getEngine(ENGINE);
        } catch (RuntimeException e) {
            String flavor = nativeFlavor();
            String hint = flavor.startsWith("cu")
                    ? "this is a CUDA build (mvn -Pcuda, natives " + flavor + "): DJL loads them only where an NVIDIA "
                            + "GPU and its driver are visible, and would otherwise fetch CPU natives, which offline mode "
                            + "forbids; run it on a GPU node, or build without -Pcuda for this machine."
                    : "are pytorch-jni and pytorch-native-cpu (natives: " + flavor + ") on the class path?";
            throw new IllegalStateException("DJL's PyTorch engine did not load offline; " + hint + " " + e.getMessage(), e);
        }
    }

    /** The flavour of the libtorch natives on the class path (cpu, cu124, ...), or "none". */
    static String nativeFlavor() {
        try (InputStream in = TorchRuntime.class.getResourceAsStream("/native/lib/pytorch.properties")) {
            if (in == null) {
                return "none";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("flavor", "none");
        } catch (IOException e) {
            return "none";
        }
    }

    /**
     * What computed a result, stored beside it: the libtorch and DJL builds, the device, the CPU whose
     * flags chose the kernels, and the self-test version that vouched for them. A result whose runtime
     * has not passed the self-test is computed again (docs/models.md, "Known-answer self-test").
     */
    public static String fingerprint(ModelsConfig.Device choice, int selfTestVersion) {
        Engine engine = engine();
        Device device = device(choice);
        String where = device.isGpu() ? "cuda" : "cpu " + CpuInfo.current();
        return "libtorch " + engine.getVersion() + " (DJL " + Engine.getDjlVersion() + ") on " + where
                + "; self-test v" + selfTestVersion;
    }

    /** The device for a configured choice: auto takes the first GPU libtorch sees, else the CPU. */
    public static Device device(ModelsConfig.Device choice) {
        Engine engine = engine();
        return switch (choice) {
            case cpu -> Device.cpu();
            case gpu -> {
                if (engine.getGpuCount() == 0) {
                    throw new ModelUnavailable("homeward.models.device=gpu but libtorch sees no GPU "
                            + "(build with -Pcuda on a host with CUDA, or set the device to cpu or auto)");
                }
                yield exactGpu(System.getenv());
            }
            case auto -> engine.getGpuCount() > 0 ? exactGpu(System.getenv()) : Device.cpu();
        };
    }

    private static Device exactGpu(Map<String, String> env) {
        tf32Problem(env).ifPresent(problem -> {
            throw new ModelUnavailable(problem);
        });
        return Device.gpu();
    }

    /**
     * Why this environment would run the models on a GPU in TF32, if it would. libtorch leaves TF32 on for
     * convolutions, and on an H200 that moved the descriptor 1.6e-4 and the detector's scores 1.2e-4 from dlib's
     * answers (tolerance 1e-4), whatever the framework's own flags said; only the variable, set before the libraries
     * load, brought them back to 2e-7 (deploy/models/gpu_check.py). Refused here, with the remedy, rather than as a
     * self-test failure whose cause a reader would have to guess.
     */
    static Optional<String> tf32Problem(Map<String, String> env) {
        if ("0".equals(env.get(TF32_OVERRIDE))) {
            return Optional.empty();
        }
        return Optional.of("a GPU was chosen but " + TF32_OVERRIDE + " is " + (env.containsKey(TF32_OVERRIDE)
                ? "'" + env.get(TF32_OVERRIDE) + "'" : "not set") + ": NVIDIA's libraries would compute in TF32 and the "
                + "models would miss their known answers; start the process with " + TF32_OVERRIDE + "=0 (deploy/homeward, "
                + "the image and the Kubernetes worker set it), or set homeward.models.device=cpu");
    }
}
