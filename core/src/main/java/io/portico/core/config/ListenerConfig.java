package io.portico.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * One address Portico accepts connections on, and what it does with them.
 *
 * @param address where to listen, {@code 0.0.0.0:8080}
 * @param mode {@code http} (the default: requests are routed) or {@code tcp} (layer 4: the bytes
 *     of each connection are relayed to an endpoint of {@code upstream})
 * @param upstream for {@code tcp} listeners, the upstream connections are relayed to
 * @param idleTimeout for {@code tcp} listeners, how long a connection may stay silent in both
 *     directions before it is closed (default 5m)
 * @param tls for {@code http} listeners, TLS termination: the listener speaks HTTPS
 * @param redirectHttps for plain {@code http} listeners, answer every request with a
 *     {@code 308} redirect to the same URL on {@code https} (default false)
 */
public record ListenerConfig(HostPort address, Mode mode, String upstream, Duration idleTimeout, TlsConfig tls,
                             boolean redirectHttps) {

    /** What a listener does with its connections. */
    public enum Mode {
        /** HTTP/1.1 reverse proxy with routes. */
        HTTP,
        /** Layer-4 proxy: raw bytes to one upstream. */
        TCP
    }

    /** Applies defaults and validates. */
    public ListenerConfig {
        Objects.requireNonNull(address, "address is required");
        mode = mode == null ? Mode.HTTP : mode;
        if (mode == Mode.TCP && upstream == null) {
            throw new IllegalArgumentException("a tcp listener needs an upstream");
        }
        if (mode == Mode.HTTP && upstream != null) {
            throw new IllegalArgumentException("upstream is only for tcp listeners; http listeners route by routes");
        }
        if (tls != null && mode != Mode.HTTP) {
            throw new IllegalArgumentException("tls is only for http listeners");
        }
        if (redirectHttps && (tls != null || mode != Mode.HTTP)) {
            throw new IllegalArgumentException("redirect-https is only for plain http listeners (without tls)");
        }
        idleTimeout = idleTimeout == null ? Duration.ofMinutes(5) : Durations.positive(idleTimeout, "idle-timeout");
    }

    /** An HTTP listener on {@code address}. */
    public static ListenerConfig http(HostPort address) {
        return new ListenerConfig(address, Mode.HTTP, null, null, null, false);
    }
}
