package org.homeward.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.homeward.faces.ModelBundle;
import org.homeward.faces.ModelSelfTest;
import org.homeward.faces.SelfTestReport;
import org.homeward.models.ModelPackage;
import org.homeward.models.ModelsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * `models check [DIR]`: opens every package in the bundle (verifying its checksums), lists them, and runs
 * the known-answer self-test on this machine's runtime; exits 1 with each failure named when a package
 * does not give its known answers.
 */
@Command(name = "models", description = "the installed model packages")
final class ModelsCommand {

    @Command(name = "check", description = "verify the installed model packages and run their known-answer self-test"
            + " (exit 1 when one fails)")
    int check(@Parameters(paramLabel = "DIR", arity = "0..1", description = "the bundle (default: $HOMEWARD_MODELS, else "
            + ModelsConfig.DEFAULT_DIR + ")") Path dir) throws IOException {
        dir = dir == null ? ModelsConfig.dirFromEnvironment() : dir;
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
