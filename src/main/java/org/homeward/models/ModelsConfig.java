package org.homeward.models;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

/** Where the model packages are, which device runs them, and which embedding transform searches use. */
@ConfigMapping(prefix = "homeward.models")
public interface ModelsConfig {

    enum Device { cpu, gpu, auto }

    /** Where the launcher installs the bundle, when neither HOMEWARD_MODELS nor the configuration says otherwise. */
    String DEFAULT_DIR = "/var/lib/homeward/models";

    /** The bundle's folder for the command-line tools, which run without Quarkus' configuration: HOMEWARD_MODELS. */
    static Path dirFromEnvironment() {
        return Path.of(System.getenv().getOrDefault("HOMEWARD_MODELS", DEFAULT_DIR));
    }

    /** The folder that holds one sub-folder per model package (deploy/homeward models builds it). */
    @WithDefault(DEFAULT_DIR)
    Path dir();

    /** cpu, gpu, or auto (the GPU when libtorch sees one). */
    @WithDefault("auto")
    Device device();

    /** Intra-op threads per predictor on the CPU; 0 lets the engine choose. */
    @WithDefault("0")
    int threads();

    /**
     * Photos larger than this (longest side, pixels) are shrunk before face detection: the detector's
     * pyramid takes about 3.6 times the photo in floats, so a 12 MP photo would need gigabytes. 0 = never.
     */
    @WithDefault("2000")
    int detectorMaxSide();

    /**
     * The embedding transform package searches use when it is installed (docs/accuracy.md): v2 (fitted on FG-NET and
     * lag-train, with cohort score normalisation), v1 (FG-NET only), or "none" to search the embedder's raw vectors.
     * Changing it makes the worker index every face under the new model.
     */
    @WithDefault("homeward-embedding-transform-v2")
    String transform();
}
