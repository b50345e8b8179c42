package io.portico.core.config;

import java.util.Objects;

/**
 * One address Portico accepts connections on.
 *
 * @param address where to listen, {@code 0.0.0.0:8080}
 */
public record ListenerConfig(HostPort address) {

    /** Validates. */
    public ListenerConfig {
        Objects.requireNonNull(address, "address is required");
    }
}
