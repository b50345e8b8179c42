package io.portico.core.config;

import java.util.Objects;

/**
 * One endpoint of an upstream: {@code 127.0.0.1:9001} or {@code {address: 127.0.0.1:9001, weight: 3}}.
 *
 * @param address where it listens
 * @param weight its share relative to the others, at least 1 (default 1)
 */
public record EndpointConfig(HostPort address, Integer weight) {

    /** Applies defaults and validates. */
    public EndpointConfig {
        Objects.requireNonNull(address, "address is required");
        if (address.port() == 0) {
            throw new IllegalArgumentException("an endpoint needs a port, got " + address);
        }
        weight = weight == null ? 1 : weight;
        if (weight < 1) {
            throw new IllegalArgumentException("weight must be at least 1, got " + weight);
        }
    }
}
