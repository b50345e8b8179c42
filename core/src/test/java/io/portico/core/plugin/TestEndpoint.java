package io.portico.core.plugin;

import io.portico.api.balancer.Endpoint;

/** An endpoint for balancer tests. */
record TestEndpoint(String host, int port) implements Endpoint {

    @Override
    public String id() {
        return host + ":" + port;
    }

    @Override
    public int weight() {
        return 1;
    }

    @Override
    public int activeRequests() {
        return 0;
    }
}
