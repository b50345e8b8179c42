package io.portico.plugins.balancers;

import io.portico.api.balancer.Balancer;
import io.portico.api.balancer.BalancerFactory;
import io.portico.api.config.ExtensionContext;
import io.portico.api.config.NoConfig;
import org.pf4j.Extension;

/**
 * The {@code weighted-round-robin} balancer: takes the endpoints in turn, each as often as its
 * weight says, with the turns of heavy endpoints spread out rather than bunched (nginx's smooth
 * weighted round robin).
 *
 * <pre>{@code
 * upstreams:
 *   api:
 *     balancer: weighted-round-robin
 *     endpoints:
 *       - {address: 10.0.0.11:8080, weight: 3}
 *       - 10.0.0.12:8080
 * }</pre>
 *
 * <p>Over every cycle of {@code total weight} requests each endpoint gets exactly {@code weight} of
 * them: above, {@code a a b a} repeating. It takes no settings; with equal weights it is plain round
 * robin.
 */
@Extension
public final class WeightedRoundRobinBalancerFactory implements BalancerFactory<NoConfig> {

    @Override
    public String name() {
        return "weighted-round-robin";
    }

    @Override
    public Class<NoConfig> configType() {
        return NoConfig.class;
    }

    @Override
    public Balancer create(NoConfig config, ExtensionContext context) {
        return new WeightedRoundRobinBalancer();
    }
}
