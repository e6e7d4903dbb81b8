package org.homeward.faces;

import java.util.List;

/** The verdicts of one self-test run, with the runtime (libtorch build, device, CPU) they vouch for. */
public record SelfTestReport(String runtime, int version, List<ModelSelfTest.Verdict> verdicts) {

    public SelfTestReport {
        verdicts = List.copyOf(verdicts);
    }

    public boolean passed() {
        return !verdicts.isEmpty() && verdicts.stream().allMatch(ModelSelfTest.Verdict::passed);
    }

    public List<ModelSelfTest.Verdict> failures() {
        return verdicts.stream().filter(v -> !v.passed()).toList();
    }

    /** One line for logs and health checks: the verdict, and each failure with its figure and tolerance. */
    public String summary() {
        if (passed()) {
            return "model self-test passed: " + verdicts.size() + " packages give their known answers on " + runtime;
        }
        StringBuilder out = new StringBuilder("model self-test FAILED on " + runtime + ":");
        failures().forEach(v -> out.append(" ").append(v.packageName()).append(": ").append(v.detail()).append(";"));
        return out.toString();
    }
}
