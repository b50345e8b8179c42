package io.portico.core.config;

/**
 * The access log: one line per request on the {@code portico.access} logger.
 *
 * @param enabled whether to write it (default true)
 */
public record AccessLogConfig(Boolean enabled) {

    /** Applies defaults. */
    public AccessLogConfig {
        enabled = enabled == null ? Boolean.TRUE : enabled;
    }
}
