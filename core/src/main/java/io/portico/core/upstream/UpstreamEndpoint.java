package io.portico.core.upstream;

import io.portico.api.balancer.Endpoint;
import io.portico.core.config.HostPort;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An endpoint of an upstream as the proxy uses it: its resolved address and live counters.
 * Thread-safe.
 */
public final class UpstreamEndpoint implements Endpoint {

    private final HostPort hostPort;
    private final String id;
    private final int weight;
    private final InetSocketAddress address;
    private final AtomicInteger active = new AtomicInteger();

    /**
     * @param hostPort the configured address
     * @param weight the configured weight
     * @param address the resolved socket address
     */
    public UpstreamEndpoint(HostPort hostPort, int weight, InetSocketAddress address) {
        this.hostPort = hostPort;
        this.id = hostPort.toString();
        this.weight = weight;
        this.address = address;
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
        return active.get();
    }

    /** The socket address to connect to. */
    public InetSocketAddress address() {
        return address;
    }

    /** Counts a request sent to this endpoint. */
    public void requestStarted() {
        active.incrementAndGet();
    }

    /** Counts the end of a request counted by {@link #requestStarted()}. */
    public void requestEnded() {
        active.decrementAndGet();
    }

    @Override
    public String toString() {
        return id;
    }
}
