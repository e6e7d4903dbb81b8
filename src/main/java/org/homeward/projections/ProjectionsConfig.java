package org.homeward.projections;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** How and when the child's faces of cases are projected to later ages. */
@ConfigMapping(prefix = "homeward.projections")
public interface ProjectionsConfig {

    /** Off: no job is queued and the case page shows no strip. */
    @WithDefault("true")
    boolean enabled();

    /**
     * The projection package in the model folder: the age prototypes (default), or a generator package
     * exported from MTLFace (deploy/models/export_mtlface.py).
     */
    @WithDefault("homeward-age-prototypes-v2")
    String model();

    /** The package's folder, when it is not in the model folder (tests use the repository's copy). */
    Optional<Path> modelDir();

    /** Projections are drawn at every multiple of this many years between the photo's age and today's. */
    /** Years between projections while the child is under {@link #adultAge()} (the artists' 2). */
    @WithDefault("2")
    double childStepYears();

    /** The age from which projections are {@link #stepYears()} apart. */
    @WithDefault("18")
    double adultAge();

    @WithDefault("5")
    double stepYears();

    /** No projection closer than this to the photo's age or to today's (today's own projection aside). */
    @WithDefault("2")
    double minGapYears();

    /** When today's age is unknown (no birth date and no date for the photo): how far ahead to project. */
    @WithDefault("20")
    double horizonYears();

    /**
     * A face smaller than this (pixels between the eye centres) is too small to project: the projection frame shows
     * the eyes 68 px apart, so a smaller face would be magnified more than twice into a blur. (The detector finds
     * faces down to about 26 px.)
     */
    @WithDefault("32")
    double minInterOcular();

    /** A face turned further than this (the quality gate's yaw) is too turned to project. */
    @WithDefault("0.3")
    double maxYaw();

    /** How often every open case is checked for projections that time has made due (a new year of age). */
    @WithDefault("PT24H")
    Duration checkInterval();
}
