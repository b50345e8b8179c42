package io.portico.plugins.balancers;

import io.portico.api.balancer.Balancer;
import io.portico.api.balancer.BalancerFactory;
import io.portico.api.config.ExtensionContext;
import org.pf4j.Extension;

/**
 * The {@code least-request} balancer: for each request, draws {@code choices} endpoints at random
 * and sends the request to the one with the fewest requests in flight for its weight (the "power of
 * two choices").
 *
 * <pre>{@code
 * upstreams:
 *   api:
 *     balancer: {least-request: {choices: 2}}
 *     endpoints: [10.0.0.11:8080, 10.0.0.12:8080, 10.0.0.13:8080]
 * }</pre>
 *
 * <p>It steers away from slow or stuck endpoints almost as well as {@code least-connections} at a
 * fixed cost per pick, whatever the number of endpoints, and without every event loop herding onto
 * the same least-loaded endpoint. Settings: {@link LeastRequestConfig}.
 */
@Extension
public final class LeastRequestBalancerFactory implements BalancerFactory<LeastRequestConfig> {

    @Override
    public String name() {
        return "least-request";
    }

    @Override
    public Class<LeastRequestConfig> configType() {
        return LeastRequestConfig.class;
    }

    @Override
    public Balancer create(LeastRequestConfig config, ExtensionContext context) {
        return new LeastRequestBalancer(config.choices(), PerThreadRandom.INSTANCE);
    }
}
