package org.homeward.audit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

/** Where the audit chain's signed checkpoints go, how often, and the key that signs them. */
@ConfigMapping(prefix = "homeward.audit")
public interface AuditConfig {

    /** The append-only file of checkpoints, outside the database (docs/security.md). */
    Path checkpointFile();

    /** Signs each checkpoint; kept outside the database, so that whoever can edit the trail cannot forge one. */
    String checkpointKey();

    @WithDefault("PT10M")
    Duration checkpointInterval();

    /** How often the whole chain is walked in the background (a page view reads only the events since). */
    @WithDefault("PT1H")
    Duration fullVerifyInterval();

    /** How many of the newest checkpoints the auditor page checks on each view (the command checks all). */
    @WithDefault("200")
    int checkpointsChecked();
}
