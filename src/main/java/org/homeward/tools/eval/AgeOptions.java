package org.homeward.tools.eval;

import org.homeward.tools.Main;
import picocli.CommandLine.Option;

/** Where childhood ends and adulthood begins: a case's photos are at most --child-max-age, probes at least --adult-min-age. */
final class AgeOptions {

    @Option(names = "--child-max-age", paramLabel = "YEARS", description = "the oldest age of a case's (childhood) photos")
    private double childMax = 12;
    @Option(names = "--adult-min-age", paramLabel = "YEARS", description = "the youngest age of a probe (adult) photo")
    private double adultMin = 18;

    double childMax() {
        return Main.within("--child-max-age", childMax, 0, Manifest.MAX_AGE);
    }

    double adultMin() {
        return Main.within("--adult-min-age", adultMin, 0, Manifest.MAX_AGE);
    }
}
