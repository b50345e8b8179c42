package io.portico.plugins.balancers;

import io.portico.api.balancer.Balancer;
import io.portico.api.balancer.BalancerFactory;
import io.portico.api.config.ExtensionContext;
import io.portico.api.config.NoConfig;
import org.pf4j.Extension;

/**
 * The {@code least-connections} balancer: sends each request to the endpoint with the fewest
 * requests in flight for its weight, checking every endpoint. The balancer keeps the counts itself,
 * as Portico reports each request starting and ending.
 *
 * <pre>{@code
 * upstreams:
 *   reports:
 *     balancer: least-connections
 *     endpoints: [10.0.0.21:8080, 10.0.0.22:8080, {address: 10.0.0.23:8080, weight: 2}]
 * }</pre>
 *
 * <p>An endpoint's load is {@code (requests in flight + 1) / weight}, so an endpoint of weight 2 is
 * given twice the requests in flight of one of weight 1. Among endpoints of equal load one is
 * chosen at random. Suits requests of very uneven cost (reports, uploads, long polls), where
 * counting beats rotating. A pick looks at every endpoint, so its cost grows with their number; for
 * large upstreams prefer {@code least-request}. It takes no settings.
 */
@Extension
public final class LeastConnectionsBalancerFactory implements BalancerFactory<NoConfig> {

    @Override
    public String name() {
        return "least-connections";
    }

    @Override
    public Class<NoConfig> configType() {
        return NoConfig.class;
    }

    @Override
    public Balancer create(NoConfig config, ExtensionContext context) {
        return new LeastConnectionsBalancer(PerThreadRandom.INSTANCE);
    }
}
