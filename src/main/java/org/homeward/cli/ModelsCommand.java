package org.homeward.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.homeward.models.ModelPackage;

/** `models check [DIR]`: opens every package in the bundle, verifying its checksums, and lists them. */
final class ModelsCommand implements Command {

    @Override
    public String usage() {
        return "models check [DIR]      verify and list the installed model packages";
    }

    @Override
    public int run(List<String> args) throws Exception {
        if (args.isEmpty() || !args.get(0).equals("check")) {
            throw new IllegalArgumentException("unknown models action " + args);
        }
        Path dir = Path.of(args.size() > 1 ? args.get(1) : System.getenv().getOrDefault("HOMEWARD_MODELS", "/var/lib/homeward/models"));
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path pkg : entries.filter(p -> Files.isRegularFile(p.resolve("manifest.json"))).sorted().toList()) {
                ModelPackage opened = ModelPackage.open(pkg);
                System.out.printf("%-32s %-8s %-20s %s%n", opened.name(), opened.version(),
                        opened.manifest().path("task").asText(), opened.manifest().path("licence").asText());
            }
        }
        return 0;
    }
}
