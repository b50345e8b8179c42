package io.portico.testkit;

import io.portico.api.balancer.Balancer;
import io.portico.api.balancer.BalancerFactory;
import io.portico.api.config.ExtensionContext;
import io.portico.api.config.NoConfig;
import org.pf4j.Extension;

/**
 * The balancer {@code first-endpoint}: always the first endpoint listed. Portico's own balancers
 * come in a plugin; this one lets a test of a filter, an auth provider or anything else that is not
 * a balancer configure an upstream without it.
 *
 * <pre>{@code
 * upstreams:
 *   app: {balancer: first-endpoint, endpoints: [${origin0}]}
 * }</pre>
 */
@Extension
public final class FirstEndpointBalancerFactory implements BalancerFactory<NoConfig> {

    @Override
    public String name() {
        return "first-endpoint";
    }

    @Override
    public Class<NoConfig> configType() {
        return NoConfig.class;
    }

    @Override
    public Balancer create(NoConfig config, ExtensionContext context) {
        return (endpoints, selection) -> endpoints.getFirst();
    }
}
