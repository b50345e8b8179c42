package io.portico.core.upstream;

import io.portico.api.balancer.Balancer;
import io.portico.api.balancer.Endpoint;
import io.portico.api.balancer.SelectionContext;
import io.portico.core.config.UpstreamConfig;
import java.util.List;

/**
 * A named group of endpoints with its balancer and timeouts, as compiled from an {@link
 * UpstreamConfig}. Shared by all event loops; immutable apart from the endpoints' counters.
 */
public final class Upstream {

    private final String name;
    private final List<Endpoint> endpoints;
    private final Balancer balancer;
    private final UpstreamConfig config;

    /**
     * @param name the upstream's name
     * @param endpoints its endpoints, in configured order
     * @param balancer the balancer that picks among them
     * @param config the timeouts and pool settings
     */
    public Upstream(String name, List<UpstreamEndpoint> endpoints, Balancer balancer, UpstreamConfig config) {
        this.name = name;
        this.endpoints = List.copyOf(endpoints);
        this.balancer = balancer;
        this.config = config;
    }

    /** The name given in the configuration. */
    public String name() {
        return name;
    }

    /** Every endpoint, in configured order. */
    public List<Endpoint> endpoints() {
        return endpoints;
    }

    /** The balancer. */
    public Balancer balancer() {
        return balancer;
    }

    /** Timeouts and pool settings. */
    public UpstreamConfig config() {
        return config;
    }

    /**
     * Picks the endpoint for a request with the balancer.
     *
     * @return the endpoint, or {@code null} when none is available
     * @throws IllegalStateException when the balancer returns an endpoint it was not offered
     */
    public UpstreamEndpoint select(SelectionContext context) {
        List<Endpoint> available = endpoints;
        if (available.isEmpty()) {
            return null;
        }
        Endpoint picked = balancer.select(available, context);
        if (picked instanceof UpstreamEndpoint endpoint) {
            return endpoint;
        }
        throw new IllegalStateException("balancer of upstream '" + name + "' returned " + picked
                + ", which is not one of the endpoints it was offered");
    }
}
