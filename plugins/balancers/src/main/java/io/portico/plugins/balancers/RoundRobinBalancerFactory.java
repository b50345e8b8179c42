package io.portico.plugins.balancers;

import io.portico.api.balancer.Balancer;
import io.portico.api.balancer.BalancerFactory;
import io.portico.api.config.ExtensionContext;
import io.portico.api.config.NoConfig;
import org.pf4j.Extension;

/**
 * The {@code round-robin} balancer: sends requests to the healthy endpoints in turn, one each.
 *
 * <pre>{@code
 * upstreams:
 *   api:
 *     balancer: round-robin
 *     endpoints: [10.0.0.11:8080, 10.0.0.12:8080]
 * }</pre>
 *
 * <p>It takes no settings and ignores endpoint weights. Each upstream gets its own rotation.
 */
@Extension
public final class RoundRobinBalancerFactory implements BalancerFactory<NoConfig> {

    @Override
    public String name() {
        return "round-robin";
    }

    @Override
    public Class<NoConfig> configType() {
        return NoConfig.class;
    }

    @Override
    public Balancer create(NoConfig config, ExtensionContext context) {
        return new RoundRobinBalancer();
    }
}
