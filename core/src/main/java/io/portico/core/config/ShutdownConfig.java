package io.portico.core.config;

import java.time.Duration;

/**
 * Graceful shutdown on SIGTERM: stop accepting, let in-flight requests finish, then exit.
 *
 * @param deadline how long in-flight requests may take to finish (default 30s)
 */
public record ShutdownConfig(Duration deadline) {

    /** Applies defaults. */
    public ShutdownConfig {
        deadline = deadline == null ? Duration.ofSeconds(30) : deadline;
    }
}
