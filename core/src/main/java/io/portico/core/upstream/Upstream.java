package io.portico.core.upstream;

import io.portico.api.balancer.Balancer;
import io.portico.api.balancer.Endpoint;
import io.portico.api.balancer.RequestResult;
import io.portico.api.balancer.SelectionContext;
import io.portico.core.config.UpstreamConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A named group of endpoints with its balancer, as compiled from an {@link UpstreamConfig}.
 * Shared by all event loops.
 *
 * <p>The balancer is offered the endpoints {@linkplain UpstreamEndpoint#available available}
 * now: the primary ones, or the backup pool when no primary endpoint is available. That list is
 * recomputed only when an endpoint's health changes (or an ejection expires), so the balancer
 * sees the same list instance between changes.
 *
 * <p>Every request sent to an endpoint is counted from {@link #requestStarted} to {@link
 * #requestEnded}, on the endpoint (its {@linkplain UpstreamEndpoint#activeRequests() requests in
 * flight}) and by the balancer's callbacks. Every request's result goes to the balancer and to the
 * upstream's {@link PassiveHealth}; with a {@code slow-start} window, endpoints that joined or came
 * back recently take a reduced share whatever the balancer ({@link SlowStart}).
 *
 * <p>The endpoints themselves may change while Portico runs ({@link #replaceEndpoints}), when a
 * host name's DNS answer changes.
 */
public final class Upstream {

    private static final Logger LOG = LoggerFactory.getLogger(Upstream.class);

    private final String name;
    private volatile List<UpstreamEndpoint> endpoints;
    private final Balancer balancer;
    private final UpstreamConfig config;
    private final PassiveHealth passiveHealth;
    private final SlowStart slowStart;
    private final RetryBudget retryBudget;
    private final StickyCookie stickyCookie;
    private final UpstreamTls tls;
    private volatile Snapshot snapshot;
    /** Whether a callback of the balancer has thrown: only the first failure is logged as a warning. */
    private volatile boolean callbackFailed;

    /**
     * The endpoints on offer, when that may change by itself (an ejection ending), and the
     * endpoint list it was computed from (a snapshot of a replaced list is stale).
     */
    private record Snapshot(List<Endpoint> offered, long recheckAtNanos, List<UpstreamEndpoint> from) {
    }

    /**
     * @param name the upstream's name
     * @param endpoints its endpoints, primary and backup, in configured order
     * @param balancer the balancer that picks among them
     * @param config the timeouts, health and retry settings
     * @param passiveHealth what judges endpoints by their requests' results
     */
    public Upstream(String name, List<UpstreamEndpoint> endpoints, Balancer balancer, UpstreamConfig config,
            PassiveHealth passiveHealth) {
        this(name, endpoints, balancer, config, passiveHealth, null);
    }

    /**
     * @param name the upstream's name
     * @param endpoints its endpoints, primary and backup, in configured order
     * @param balancer the balancer that picks among them
     * @param config the timeouts, health and retry settings
     * @param passiveHealth what judges endpoints by their requests' results
     * @param tls TLS to the endpoints, or {@code null} for plain connections
     */
    public Upstream(String name, List<UpstreamEndpoint> endpoints, Balancer balancer, UpstreamConfig config,
            PassiveHealth passiveHealth, UpstreamTls tls) {
        this.tls = tls;
        this.name = name;
        this.endpoints = List.copyOf(endpoints);
        this.balancer = balancer;
        this.config = config;
        this.passiveHealth = passiveHealth;
        this.slowStart = config.slowStart().isZero() ? null
                : new SlowStart(config.slowStart(), () -> ThreadLocalRandom.current().nextDouble());
        this.retryBudget = new RetryBudget(config.retries());
        this.stickyCookie = config.sticky() == null ? null : new StickyCookie(name, this.endpoints, config.sticky());
        this.snapshot = compute(System.nanoTime());
    }

    /** The name given in the configuration. */
    public String name() {
        return name;
    }

    /** Every endpoint now, primary then backup, in configured order. */
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

    /** TLS to the endpoints, or {@code null} when connections to them are plain. */
    public UpstreamTls tls() {
        return tls;
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
        Snapshot s = snapshot;
        if (System.nanoTime() - s.recheckAtNanos() >= 0 || s.from() != endpoints) {
            s = refresh();
        }
        return s.offered();
    }

    /**
     * Replaces the endpoints: the balancer is offered the new ones from the next selection on.
     * Thread-safe. Requests under way are not disturbed, as each holds the endpoint it was given;
     * pooled connections to an endpoint that left are not picked again and close when idle.
     *
     * @param next every endpoint, primary then backup; an endpoint that stays should be passed as
     *     the same instance, so that its counters and health carry over
     */
    public void replaceEndpoints(List<UpstreamEndpoint> next) {
        endpoints = List.copyOf(next);
        refresh();
    }

    /** Recomputes the offered endpoints after a change of health; callable from any thread. */
    public void healthChanged() {
        refresh();
    }

    /**
     * The share of its full load {@code endpoint} takes at {@code nowNanos} under slow start,
     * from 0.1 to 1 (always 1 without slow start).
     */
    public double slowStartShare(UpstreamEndpoint endpoint, long nowNanos) {
        return slowStart == null ? 1 : slowStart.share(endpoint, nowNanos);
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
        Endpoint picked = slowStart == null ? balancer.select(offered, context)
                : slowStart.select(balancer, offered, context, System.nanoTime());
        if (picked instanceof UpstreamEndpoint endpoint) {
            return endpoint;
        }
        throw new IllegalStateException("balancer of upstream '" + name + "' returned " + picked
                + ", which is not one of the endpoints it was offered");
    }

    /**
     * Counts a request sent to {@code endpoint}, on the endpoint and with the balancer ({@link
     * Balancer#onRequestStarted}). Every call must be followed by exactly one {@link #requestEnded}
     * for the same endpoint on this same upstream. A balancer that throws is logged; the endpoint's
     * count stands.
     */
    public void requestStarted(UpstreamEndpoint endpoint) {
        endpoint.requestStarted();
        try {
            balancer.onRequestStarted(endpoint);
        } catch (RuntimeException failure) {
            callbackFailed("onRequestStarted", endpoint, failure);
        }
    }

    /** Counts the end of a request counted by {@link #requestStarted}, on the endpoint and with the balancer. */
    public void requestEnded(UpstreamEndpoint endpoint) {
        endpoint.requestEnded();
        try {
            balancer.onRequestEnded(endpoint);
        } catch (RuntimeException failure) {
            callbackFailed("onRequestEnded", endpoint, failure);
        }
    }

    /** Logs a balancer's failing callback: the first as a warning, the rest (likely the same defect) at debug. */
    private void callbackFailed(String callback, UpstreamEndpoint endpoint, RuntimeException failure) {
        if (!callbackFailed) {
            callbackFailed = true;
            LOG.warn("balancer of upstream '{}' failed in {} for {}; requests go on, further failures are logged at debug",
                    name, callback, endpoint, failure);
        } else {
            LOG.debug("balancer of upstream '{}' failed in {} for {}", name, callback, endpoint, failure);
        }
    }

    /**
     * Whether an endpoint a sticky session pins may take the request: it is available, and if it
     * belongs to the backup pool, the backups are in use (no primary is available).
     */
    public boolean takesPinned(UpstreamEndpoint endpoint) {
        return endpoint.available(System.nanoTime()) && (!endpoint.backup() || offered().contains(endpoint));
    }

    /** Tells passive health and the balancer how a request went. */
    public void report(UpstreamEndpoint endpoint, RequestResult result) {
        passiveHealth.onResult(this, endpoint, result);
        balancer.onResult(endpoint, result);
    }

    /**
     * Serialised so that a snapshot computed before a concurrent change of health never
     * overwrites one computed after it.
     */
    private synchronized Snapshot refresh() {
        Snapshot s = compute(System.nanoTime());
        snapshot = s;
        return s;
    }

    private Snapshot compute(long now) {
        List<UpstreamEndpoint> current = endpoints;
        List<Endpoint> primary = new ArrayList<>();
        List<Endpoint> backup = new ArrayList<>();
        long recheckAt = now + 60_000_000_000L;
        for (UpstreamEndpoint endpoint : current) {
            if (endpoint.available(now)) {
                (endpoint.backup() ? backup : primary).add(endpoint);
            } else if (endpoint.checkedHealthy() && endpoint.ejectedUntilNanos() - recheckAt < 0) {
                recheckAt = endpoint.ejectedUntilNanos();
            }
        }
        return new Snapshot(List.copyOf(primary.isEmpty() ? backup : primary), recheckAt, current);
    }
}
