package io.portico.core.runtime;

import io.portico.core.config.PorticoConfig;
import io.portico.core.routing.Router;
import io.portico.core.upstream.Upstream;
import java.util.Map;

/**
 * Everything the proxy needs per request, compiled once from a configuration: the router with its
 * routes, the upstreams, and the settings. Immutable; a reload builds a new one.
 *
 * @param config the configuration it was built from
 * @param router the routes in match order
 * @param upstreams the upstreams by name
 */
public record ProxyRuntime(PorticoConfig config, Router<Route> router, Map<String, Upstream> upstreams) {

    /** Copies the upstream map. */
    public ProxyRuntime {
        upstreams = Map.copyOf(upstreams);
    }
}
