package io.portico.core.upstream;

import io.portico.api.balancer.Balancer;
import io.portico.api.balancer.Endpoint;
import io.portico.api.balancer.RequestResult;
import io.portico.api.balancer.SelectionContext;
import io.portico.core.config.UpstreamConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A named group of endpoints with its balancer, as compiled from an {@link UpstreamConfig}.
 * Shared by all event loops.
 *
 * <p>The balancer is offered the endpoints {@linkplain UpstreamEndpoint#available available}
 * now: the primary ones, or the backup pool when no primary endpoint is available. That list is
 * recomputed only when an endpoint's health changes (or an ejection expires), so the balancer
 * sees the same list instance between changes.
 */
public final class Upstream {

    private final String name;
    private final List<UpstreamEndpoint> endpoints;
    private final Balancer balancer;
    private final UpstreamConfig config;
    private final RetryBudget retryBudget;
    private final StickyCookie stickyCookie;
    private volatile Snapshot snapshot;

    /** The endpoints on offer, and when that may change by itself (an ejection ending). */
    private record Snapshot(List<Endpoint> offered, long recheckAtNanos) {
    }

    /**
     * @param name the upstream's name
     * @param endpoints its endpoints, primary and backup, in configured order
     * @param balancer the balancer that picks among them
     * @param config the timeouts, health and retry settings
     */
    public Upstream(String name, List<UpstreamEndpoint> endpoints, Balancer balancer, UpstreamConfig config) {
        this.name = name;
        this.endpoints = List.copyOf(endpoints);
        this.balancer = balancer;
        this.config = config;
        this.retryBudget = new RetryBudget(config.retries());
        this.stickyCookie = config.sticky() == null ? null : new StickyCookie(name, this.endpoints, config.sticky());
        this.snapshot = compute(System.nanoTime());
    }

    /** The name given in the configuration. */
    public String name() {
        return name;
    }

    /** Every endpoint, primary then backup, in configured order. */
    public List<UpstreamEndpoint> endpoints() {
        return endpoints;
    }

    /** The balancer. */
    public Balancer balancer() {
        return balancer;
    }

    /** Timeouts, health and retry settings. */
    public UpstreamConfig config() {
        return config;
    }

    /** The budget that keeps this upstream's retries from snowballing. */
    public RetryBudget retryBudget() {
        return retryBudget;
    }

    /** The session-affinity cookie, or {@code null} when sessions are not sticky. */
    public StickyCookie stickyCookie() {
        return stickyCookie;
    }

    /** The endpoints the balancer is offered now. */
    public List<Endpoint> offered() {
        long now = System.nanoTime();
        Snapshot s = snapshot;
        if (now - s.recheckAtNanos() >= 0) {
            s = compute(now);
            snapshot = s;
        }
        return s.offered();
    }

    /** Recomputes the offered endpoints after a change of health. */
    public void healthChanged() {
        snapshot = compute(System.nanoTime());
    }

    /**
     * Picks the endpoint for a request with the balancer.
     *
     * @return the endpoint, or {@code null} when none is available
     * @throws IllegalStateException when the balancer returns an endpoint it was not offered
     */
    public UpstreamEndpoint select(SelectionContext context) {
        return select(context, List.of());
    }

    /**
     * Picks an endpoint other than those in {@code tried} (for a retry); when every available
     * endpoint was tried, picks among all of them again.
     *
     * @return the endpoint, or {@code null} when none is available
     */
    public UpstreamEndpoint select(SelectionContext context, Collection<? extends Endpoint> tried) {
        List<Endpoint> offered = offered();
        if (!tried.isEmpty()) {
            List<Endpoint> untried = new ArrayList<>(offered);
            untried.removeAll(tried);
            if (!untried.isEmpty()) {
                offered = untried;
            }
        }
        if (offered.isEmpty()) {
            return null;
        }
        Endpoint picked = balancer.select(offered, context);
        if (picked instanceof UpstreamEndpoint endpoint) {
            return endpoint;
        }
        throw new IllegalStateException("balancer of upstream '" + name + "' returned " + picked
                + ", which is not one of the endpoints it was offered");
    }

    /** Tells the balancer how a request went. */
    public void report(UpstreamEndpoint endpoint, RequestResult result) {
        balancer.onResult(endpoint, result);
    }

    private Snapshot compute(long now) {
        List<Endpoint> primary = new ArrayList<>();
        List<Endpoint> backup = new ArrayList<>();
        long recheckAt = now + 60_000_000_000L;
        for (UpstreamEndpoint endpoint : endpoints) {
            if (endpoint.available(now)) {
                (endpoint.backup() ? backup : primary).add(endpoint);
            } else if (endpoint.checkedHealthy() && endpoint.ejectedUntilNanos() - recheckAt < 0) {
                recheckAt = endpoint.ejectedUntilNanos();
            }
        }
        return new Snapshot(List.copyOf(primary.isEmpty() ? backup : primary), recheckAt);
    }
}
