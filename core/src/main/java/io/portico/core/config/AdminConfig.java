package io.portico.core.config;

import java.util.Objects;

/**
 * The admin listener: status and health of upstreams as JSON ({@code GET /status}). Off unless
 * configured; bind it to a loopback address (the default) or a private network only.
 *
 * @param address where it listens (default {@code 127.0.0.1:9901})
 */
public record AdminConfig(HostPort address) {

    /** Applies defaults. */
    public AdminConfig {
        address = Objects.requireNonNullElse(address, new HostPort("127.0.0.1", 9901));
    }
}
