package org.homeward.worker;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** What this process does (serve people, run jobs, or both) and how the worker takes its jobs. */
@ConfigMapping(prefix = "homeward.worker")
public interface WorkerConfig {

    enum Role { web, worker, both }

    /** web: pages and API only; worker: jobs only; both: the embedded default. */
    @WithDefault("both")
    Role role();

    /** Worker threads in this process; each claims its own batches. */
    @WithDefault("1")
    int threads();

    /** Jobs of one kind claimed together, so a GPU sees batches. */
    @WithDefault("4")
    int batchSize();

    /** How long a claimed job stays with its worker before another may take it. */
    @WithDefault("PT5M")
    Duration lease();

    @WithDefault("3")
    int maxAttempts();

    /** Wait before the first retry; it doubles with each attempt. */
    @WithDefault("PT10S")
    Duration backoff();

    /** How often an idle worker looks for work. */
    @WithDefault("PT1S")
    Duration pollInterval();

    default boolean runsJobs() {
        return role() != Role.web;
    }
}
