package org.homeward.tools.bench;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the figures were measured on: CPU, memory, load, Java, DJL/PyTorch and their thread settings. */
public final class Machine {

    private Machine() {
    }

    /** The 1, 5 and 15 minute load averages, as /proc/loadavg gives them (null off Linux). */
    public static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The machine and the JVM, for benchmarks that run no model. */
    public static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpu_model", cpuModel());
        m.put("nproc", Runtime.getRuntime().availableProcessors());
        m.put("ram_gib", memTotalGib());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("jvm_max_heap_mib", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        return m;
    }

    public static Map<String, Object> describe(Engine engine) {
        Map<String, Object> m = describe();
        m.put("djl", Engine.getDjlVersion());
        m.put("engine", engine.getEngineName() + " " + engine.getVersion());
        m.put("omp_wait_policy", System.getenv("OMP_WAIT_POLICY"));
        m.put("omp_num_threads", System.getenv("OMP_NUM_THREADS"));
        m.put("torch_intra_op_threads", JniUtils.getNumThreads());
        m.put("torch_interop_threads", JniUtils.getNumInteropThreads());
        m.put("ai.djl.pytorch.num_threads", System.getProperty("ai.djl.pytorch.num_threads"));
        return m;
    }

    private static String cpuModel() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            for (String line : lines) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    private static Object memTotalGib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return Series.round(kb / 1024.0 / 1024.0, 1);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return null;
    }
}
