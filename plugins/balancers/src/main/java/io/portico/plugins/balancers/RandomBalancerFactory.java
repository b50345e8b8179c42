package io.portico.plugins.balancers;

import io.portico.api.balancer.Balancer;
import io.portico.api.balancer.BalancerFactory;
import io.portico.api.config.ExtensionContext;
import io.portico.api.config.NoConfig;
import org.pf4j.Extension;

/**
 * The {@code random} balancer: sends each request to an endpoint drawn at random, with probability
 * proportional to its weight.
 *
 * <pre>{@code
 * upstreams:
 *   assets:
 *     balancer: random
 *     endpoints: [10.0.0.31:8080, {address: 10.0.0.32:8080, weight: 2}]
 * }</pre>
 *
 * <p>Keeps no shared counter at all, so it is the cheapest choice under many event loops, and
 * several Portico instances in front of the same endpoints do not fall into step with each other.
 * Over many requests the shares match the weights. It takes no settings.
 */
@Extension
public final class RandomBalancerFactory implements BalancerFactory<NoConfig> {

    @Override
    public String name() {
        return "random";
    }

    @Override
    public Class<NoConfig> configType() {
        return NoConfig.class;
    }

    @Override
    public Balancer create(NoConfig config, ExtensionContext context) {
        return new WeightedRandomBalancer(PerThreadRandom.INSTANCE);
    }
}
