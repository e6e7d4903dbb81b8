package org.homeward.tools;

import java.nio.file.Path;
import org.homeward.models.ModelsConfig;
import picocli.CommandLine.Option;

/** {@code --models DIR}: the model bundle, with the one default every tool uses ($HOMEWARD_MODELS, else the launcher's). */
public final class ModelsOption {

    @Option(names = "--models", paramLabel = "DIR", description = "the model bundle")
    private Path dir = ModelsConfig.dirFromEnvironment();

    public Path dir() {
        return dir;
    }
}
