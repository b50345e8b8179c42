package io.portico.core.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.portico.core.runtime.ProxyRuntime;
import io.portico.core.upstream.Upstream;
import io.portico.core.upstream.UpstreamEndpoint;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The body of {@code GET /status}: every upstream, and the health of each of its endpoints, at one
 * instant. Serialised by Jackson with kebab-case names.
 *
 * @param upstreams the upstreams by name, in name order
 */
public record StatusReport(Map<String, UpstreamStatus> upstreams) {

    /**
     * One upstream.
     *
     * @param balancer the balancer's name
     * @param endpoints its endpoints, primary then backup, in configured order
     */
    public record UpstreamStatus(String balancer, List<EndpointStatus> endpoints) {
    }

    /**
     * One endpoint.
     *
     * @param address {@code host:port}
     * @param backup whether it belongs to the backup pool
     * @param weight its configured weight
     * @param state {@code healthy}, {@code unhealthy} (failing active checks) or {@code ejected}
     *     (by passive health)
     * @param inRotation whether the balancer is offered it now (a healthy backup endpoint is not
     *     while a primary one is available)
     * @param reason the last active check's outcome, or why it was ejected
     * @param ejectedUntil when its ejection ends (ISO-8601, UTC); absent when not ejected
     * @param activeRequests requests sent to it whose response has not ended
     * @param consecutiveFailures requests that failed in a row since the last success or ejection
     * @param ejections how many times passive health ejected it in a row
     * @param slowStartShare the share of its full load it takes now, from 0.1 while it ramps up
     *     under slow start to 1
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EndpointStatus(
            String address,
            boolean backup,
            int weight,
            String state,
            boolean inRotation,
            String reason,
            String ejectedUntil,
            int activeRequests,
            int consecutiveFailures,
            int ejections,
            double slowStartShare) {
    }

    /** The status of {@code runtime}'s upstreams now. */
    public static StatusReport of(ProxyRuntime runtime) {
        long now = System.nanoTime();
        Instant wallNow = Instant.now();
        Map<String, UpstreamStatus> upstreams = new TreeMap<>();
        runtime.upstreams().forEach((name, upstream) -> upstreams.put(name, new UpstreamStatus(
                upstream.config().balancer().name(),
                upstream.endpoints().stream().map(e -> endpoint(upstream, e, now, wallNow)).toList())));
        return new StatusReport(upstreams);
    }

    private static EndpointStatus endpoint(Upstream upstream, UpstreamEndpoint e, long now, Instant wallNow) {
        long ejectedFor = e.ejectedUntilNanos() - now;
        boolean ejected = ejectedFor > 0;
        String state = !e.checkedHealthy() ? "unhealthy" : ejected ? "ejected" : "healthy";
        String reason = ejected && e.checkedHealthy() ? e.ejectReason() : e.checkReason();
        double share = Math.round(upstream.slowStartShare(e, now) * 1000) / 1000.0;
        return new EndpointStatus(e.id(), e.backup(), e.weight(), state, upstream.offered().contains(e), reason,
                ejected ? wallNow.plusNanos(ejectedFor).toString() : null,
                e.activeRequests(), e.consecutiveFailures(), e.ejections(), share);
    }
}
