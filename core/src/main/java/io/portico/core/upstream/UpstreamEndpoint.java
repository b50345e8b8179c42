package io.portico.core.upstream;

import io.portico.api.balancer.Endpoint;
import io.portico.core.config.HostPort;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * An endpoint of an upstream as the proxy uses it: its resolved address, live counters and
 * health. Thread-safe: requests on every event loop and the health checker update it.
 *
 * <p>An endpoint takes requests when it is {@linkplain #available(long) available}: its active
 * health checks pass (or there are none) and passive health has not ejected it.
 */
public final class UpstreamEndpoint implements Endpoint {

    /** Updates {@link #active} in place: a field, not an object of its own, is one read less per look. */
    private static final AtomicIntegerFieldUpdater<UpstreamEndpoint> ACTIVE =
            AtomicIntegerFieldUpdater.newUpdater(UpstreamEndpoint.class, "active");

    private final HostPort hostPort;
    private final String id;
    private final int weight;
    private final InetSocketAddress address;
    private final boolean backup;
    private volatile int active;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();

    private volatile boolean checkedHealthy = true;
    private volatile String checkReason = "no health check";
    private volatile long ejectedUntilNanos;
    private volatile long availableSinceNanos;
    private volatile int ejections;
    private volatile String ejectReason = "";

    /**
     * @param hostPort the configured address
     * @param weight the configured weight
     * @param address the resolved socket address
     * @param backup whether it belongs to the upstream's backup pool
     */
    public UpstreamEndpoint(HostPort hostPort, int weight, InetSocketAddress address, boolean backup) {
        this(hostPort.host().contains(":") ? "[" + address.getAddress().getHostAddress() + "]:" + hostPort.port()
                : hostPort.toString(), hostPort, weight, address, backup);
    }

    /**
     * An endpoint with an identity of its own, such as one of the addresses a host name resolved
     * to: {@code 10.0.0.5:8080} for {@code api.internal:8080}.
     *
     * @param id its identity, {@code host:port}
     * @param hostPort the configured address
     * @param weight the configured weight
     * @param address the resolved socket address
     * @param backup whether it belongs to the upstream's backup pool
     */
    public UpstreamEndpoint(String id, HostPort hostPort, int weight, InetSocketAddress address, boolean backup) {
        this.hostPort = hostPort;
        this.id = id;
        this.weight = weight;
        this.address = address;
        this.backup = backup;
        this.availableSinceNanos = System.nanoTime();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String host() {
        return hostPort.host();
    }

    @Override
    public int port() {
        return hostPort.port();
    }

    @Override
    public int weight() {
        return weight;
    }

    @Override
    public int activeRequests() {
        return active;
    }

    /**
     * The endpoint as configured, {@code host:port} ({@code [v6]:port}): what the {@code Host}
     * header names when a route sends the endpoint's. For a DNS name, the name, not the address.
     */
    public String authority() {
        return hostPort.toString();
    }

    /** The socket address to connect to. */
    public InetSocketAddress address() {
        return address;
    }

    /** Whether it belongs to the backup pool. */
    public boolean backup() {
        return backup;
    }

    /**
     * Counts a request sent to this endpoint. The proxy counts through {@link
     * Upstream#requestStarted}, which tells the balancer too.
     */
    public void requestStarted() {
        ACTIVE.incrementAndGet(this);
    }

    /** Counts the end of a request counted by {@link #requestStarted()}. */
    public void requestEnded() {
        ACTIVE.decrementAndGet(this);
    }

    /** Whether it may take requests at {@code nowNanos}. */
    public boolean available(long nowNanos) {
        return checkedHealthy && nowNanos - ejectedUntilNanos >= 0;
    }

    /** Whether the active health checks pass (true when there are none). */
    public boolean checkedHealthy() {
        return checkedHealthy;
    }

    /** Why the active checks last decided as they did. */
    public String checkReason() {
        return checkReason;
    }

    /**
     * Records the active health checks' verdict.
     *
     * @return whether the verdict changed
     */
    public boolean checked(boolean healthy, String reason) {
        checkReason = reason;
        if (checkedHealthy == healthy) {
            return false;
        }
        checkedHealthy = healthy;
        if (healthy) {
            availableSinceNanos = System.nanoTime();
        }
        return true;
    }

    /** Until when passive health ejected it ({@link System#nanoTime()}); in the past when not ejected. */
    public long ejectedUntilNanos() {
        return ejectedUntilNanos;
    }

    /** Ejects it until {@code untilNanos}; it comes back (slowly, with slow start) after that. */
    public void ejectUntil(long untilNanos) {
        ejectedUntilNanos = untilNanos;
        availableSinceNanos = untilNanos;
    }

    /**
     * Ejects it until {@code untilNanos} as the {@code ejections}-th ejection in a row, for
     * {@code reason}, and starts its count of failures over.
     */
    public void eject(long untilNanos, int ejections, String reason) {
        this.ejections = ejections;
        this.ejectReason = reason;
        consecutiveFailures.set(0);
        ejectUntil(untilNanos);
    }

    /** How many times passive health ejected it in a row (0 if never). */
    public int ejections() {
        return ejections;
    }

    /** Why passive health last ejected it (empty if never). */
    public String ejectReason() {
        return ejectReason;
    }

    /** Counts a failed request; returns how many failed in a row. */
    public int requestFailed() {
        return consecutiveFailures.incrementAndGet();
    }

    /** Ends a run of failed requests; writes nothing when there was none (the common case). */
    public void requestSucceeded() {
        if (consecutiveFailures.get() != 0) {
            consecutiveFailures.set(0);
        }
    }

    /** How many requests failed in a row since the last success or ejection. */
    public int consecutiveFailures() {
        return consecutiveFailures.get();
    }

    /** Since when it has been available, for slow start ({@link System#nanoTime()}). */
    public long availableSinceNanos() {
        return availableSinceNanos;
    }

    @Override
    public String toString() {
        return id;
    }
}
