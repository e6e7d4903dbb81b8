package org.homeward.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.homeward.faces.ModelBundle;
import org.homeward.faces.ModelSelfTest;
import org.homeward.faces.SelfTestReport;
import org.homeward.models.ModelPackage;
import org.homeward.models.ModelsConfig;

/**
 * `models check [DIR]`: opens every package in the bundle (verifying its checksums), lists them, and runs
 * the known-answer self-test on this machine's runtime; exits 1 with each failure named when a package
 * does not give its known answers.
 */
final class ModelsCommand implements Command {

    @Override
    public String usage() {
        return "models check [DIR]      verify the installed model packages and run their known-answer self-test";
    }

    @Override
    public int run(List<String> args) throws Exception {
        if (args.isEmpty() || !args.get(0).equals("check")) {
            throw new IllegalArgumentException("unknown models action " + args);
        }
        Path dir = args.size() > 1 ? Path.of(args.get(1)) : ModelsConfig.dirFromEnvironment();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path pkg : entries.filter(p -> Files.isRegularFile(p.resolve("manifest.json"))).sorted().toList()) {
                ModelPackage opened = ModelPackage.open(pkg);
                System.out.printf("%-44s %-8s %-20s %s%n", opened.name(), opened.version(),
                        opened.manifest().path("task").asText(), opened.manifest().path("licence").asText());
            }
        }
        ModelsConfig.Device device = ModelsConfig.Device.valueOf(System.getenv().getOrDefault("HOMEWARD_DEVICE", "auto"));
        SelfTestReport report;
        try (ModelBundle bundle = new ModelBundle(dir, device, 0, ModelBundle.TRANSFORM)) {
            report = bundle.selfTest();
        }
        System.out.println("runtime: " + report.runtime());
        for (ModelSelfTest.Verdict v : report.verdicts()) {
            System.out.println(v.line());
        }
        System.out.println(report.passed()
                ? "self-test: PASS (" + report.verdicts().size() + " packages give their known answers)"
                : "self-test: FAIL (" + report.failures().size() + " of " + report.verdicts().size()
                        + " packages do not give their known answers; see docs/models.md)");
        return report.passed() ? 0 : 1;
    }
}
