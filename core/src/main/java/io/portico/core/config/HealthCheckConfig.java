package io.portico.core.config;

import java.time.Duration;
import java.util.List;

/**
 * Active health checks of an upstream's endpoints: Portico probes each endpoint every
 * {@code interval} and takes it out of rotation after {@code unhealthy-threshold} failed probes in
 * a row, and back after {@code healthy-threshold} good ones.
 *
 * @param type {@code http} (a request, the default) or {@code tcp} (a connection is enough)
 * @param path the path probed by HTTP checks (default {@code /healthz})
 * @param method the method of HTTP checks (default {@code GET})
 * @param host the {@code Host} header of HTTP checks (default: the endpoint's host:port)
 * @param expectStatus the statuses that count as healthy, as codes or ranges
 *     ({@code [200-399]}, the default, or {@code [200, 204]})
 * @param expectBody text the response body must contain to count as healthy (default: any body)
 * @param interval time between two probes of an endpoint (default 5s)
 * @param timeout how long a probe may take (default 2s)
 * @param jitter a random extra delay of up to this much before each probe, so that checks of
 *     many endpoints spread out (default 10% of the interval)
 * @param healthyThreshold good probes in a row that bring an endpoint back (default 2)
 * @param unhealthyThreshold failed probes in a row that take it out (default 3)
 */
public record HealthCheckConfig(
        Type type,
        String path,
        String method,
        String host,
        List<String> expectStatus,
        String expectBody,
        Duration interval,
        Duration timeout,
        Duration jitter,
        Integer healthyThreshold,
        Integer unhealthyThreshold) {

    /** The kind of probe. */
    public enum Type {
        /** An HTTP request whose status (and body) must match. */
        HTTP,
        /** A TCP connection that must open. */
        TCP
    }

    /** Applies defaults and validates. */
    public HealthCheckConfig {
        type = type == null ? Type.HTTP : type;
        path = path == null ? "/healthz" : path;
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/', got '" + path + "'");
        }
        method = method == null ? "GET" : method;
        if (!method.matches("[A-Z]+")) {
            throw new IllegalArgumentException("method: expected an HTTP method such as GET or HEAD, got '" + method + "'");
        }
        expectStatus = expectStatus == null ? List.of("200-399") : List.copyOf(expectStatus);
        for (String status : expectStatus) {
            if (!status.matches("[1-5]\\d\\d(-[1-5]\\d\\d)?")) {
                throw new IllegalArgumentException("expect-status: expected codes or ranges such as 200 or 200-399, got '" + status + "'");
            }
        }
        interval = interval == null ? Duration.ofSeconds(5) : Durations.positive(interval, "interval");
        timeout = timeout == null ? Duration.ofSeconds(2) : Durations.positive(timeout, "timeout");
        jitter = jitter == null ? interval.dividedBy(10) : jitter;
        healthyThreshold = healthyThreshold == null ? 2 : healthyThreshold;
        unhealthyThreshold = unhealthyThreshold == null ? 3 : unhealthyThreshold;
        if (healthyThreshold < 1 || unhealthyThreshold < 1) {
            throw new IllegalArgumentException("healthy-threshold and unhealthy-threshold must be at least 1");
        }
    }

    /** Whether {@code status} counts as healthy. */
    public boolean statusExpected(int status) {
        for (String range : expectStatus) {
            int dash = range.indexOf('-');
            int low = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
            int high = dash < 0 ? low : Integer.parseInt(range.substring(dash + 1));
            if (status >= low && status <= high) {
                return true;
            }
        }
        return false;
    }
}
