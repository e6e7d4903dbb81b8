package org.homeward.models;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The CPU this process runs on, as far as numerical kernels care: libtorch's oneDNN picks its convolution
 * code by these flags, and a kernel that is wrong on one CPU may be right on another (docs/models.md).
 */
public record CpuInfo(String model, int cores, List<String> simdFlags) {

    /** The flags that decide which SIMD code oneDNN and MKL run. */
    static final List<String> SIMD = List.of("sse4_1", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl",
            "avx512_vnni", "avx512_bf16", "avx512_fp16", "avx_vnni", "amx_tile", "amx_bf16", "amx_int8");

    private static final CpuInfo CURRENT = read(Path.of("/proc/cpuinfo"));

    public static CpuInfo current() {
        return CURRENT;
    }

    static CpuInfo read(Path cpuinfo) {
        String model = System.getProperty("os.arch");
        Set<String> flags = new TreeSet<>();
        try {
            for (String line : Files.readAllLines(cpuinfo)) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String key = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                if (key.equals("model name") && model.equals(System.getProperty("os.arch"))) {
                    model = value;
                } else if (key.equals("flags") && flags.isEmpty()) {
                    flags.addAll(List.of(value.split("\\s+")));
                }
            }
        } catch (IOException e) {
            // not Linux: the model name stays the architecture, no flags known
        }
        List<String> simd = SIMD.stream().filter(flags::contains).toList();
        return new CpuInfo(model, Runtime.getRuntime().availableProcessors(), simd);
    }

    @Override
    public String toString() {
        return model + " (" + cores + " cores; " + (simdFlags.isEmpty() ? "no SIMD flags read" : String.join(" ", simdFlags)) + ")";
    }
}
