package io.portico.core.config;

import java.time.Duration;
import java.util.List;

/**
 * A named group of endpoints and how to reach them.
 *
 * @param balancer the balancer extension (default {@code round-robin})
 * @param endpoints the endpoints, at least one
 * @param connectTimeout time to establish a connection; slower gets 504 (default 5s)
 * @param responseTimeout time from the request being sent to the response head; slower gets 504
 *     (default 60s)
 * @param idleTimeout how long a pooled connection may stay idle, and the longest pause while a
 *     response body streams (default 60s)
 * @param maxIdlePerEndpoint idle connections kept per endpoint and event loop (default 64)
 * @param backup endpoints that take traffic only while no primary endpoint is healthy (default none)
 * @param healthCheck active health checks (default: none)
 * @param outlierDetection passive health: ejecting endpoints that keep failing (default: on)
 * @param retries retrying failed requests on another endpoint (default: 2 more attempts)
 * @param sticky cookie-based session affinity (default: off)
 * @param slowStart the window over which an endpoint that joins or comes back ramps up to its
 *     full share of requests (default: none, full share at once)
 * @param tls TLS to the endpoints (default: none, plain TCP)
 * @param protocol the HTTP version spoken to the endpoints: {@code http1} (the default) or
 *     {@code h2}, HTTP/2 over TLS (negotiated with ALPN) or, without TLS, h2c with prior knowledge
 */
public record UpstreamConfig(
        ExtensionRef balancer,
        List<EndpointConfig> endpoints,
        Duration connectTimeout,
        Duration responseTimeout,
        Duration idleTimeout,
        Integer maxIdlePerEndpoint,
        List<EndpointConfig> backup,
        HealthCheckConfig healthCheck,
        OutlierConfig outlierDetection,
        RetryConfig retries,
        StickyConfig sticky,
        Duration slowStart,
        UpstreamTlsConfig tls,
        Protocol protocol) {

    /** The HTTP version spoken to an upstream's endpoints. */
    public enum Protocol {
        /** HTTP/1.1, a connection per request under way, kept alive in a pool. */
        HTTP1,
        /** HTTP/2: requests are streams multiplexed over few connections. */
        H2
    }

    /** Applies defaults and validates. */
    public UpstreamConfig {
        balancer = balancer == null ? ExtensionRef.of("round-robin", "") : balancer;
        if (endpoints == null || endpoints.isEmpty()) {
            throw new IllegalArgumentException("endpoints: expected at least one endpoint such as 127.0.0.1:9000");
        }
        endpoints = List.copyOf(endpoints);
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : Durations.positive(connectTimeout, "connect-timeout");
        responseTimeout = responseTimeout == null ? Duration.ofSeconds(60) : Durations.positive(responseTimeout, "response-timeout");
        idleTimeout = idleTimeout == null ? Duration.ofSeconds(60) : Durations.positive(idleTimeout, "idle-timeout");
        maxIdlePerEndpoint = maxIdlePerEndpoint == null ? 64 : maxIdlePerEndpoint;
        if (maxIdlePerEndpoint < 0) {
            throw new IllegalArgumentException("max-idle-per-endpoint must be 0 or more, got " + maxIdlePerEndpoint);
        }
        backup = backup == null ? List.of() : List.copyOf(backup);
        outlierDetection = outlierDetection == null ? OutlierConfig.DEFAULTS : outlierDetection;
        retries = retries == null ? RetryConfig.DEFAULTS : retries;
        slowStart = slowStart == null ? Duration.ZERO : slowStart;
        protocol = protocol == null ? Protocol.HTTP1 : protocol;
    }

    /** This upstream with another balancer reference. */
    public UpstreamConfig withBalancer(ExtensionRef ref) {
        return new UpstreamConfig(ref, endpoints, connectTimeout, responseTimeout, idleTimeout, maxIdlePerEndpoint,
                backup, healthCheck, outlierDetection, retries, sticky, slowStart, tls, protocol);
    }
}
