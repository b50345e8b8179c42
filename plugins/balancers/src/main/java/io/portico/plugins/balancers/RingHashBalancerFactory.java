package io.portico.plugins.balancers;

import io.portico.api.balancer.Balancer;
import io.portico.api.balancer.BalancerFactory;
import io.portico.api.config.ExtensionContext;
import org.pf4j.Extension;

/**
 * The {@code ring-hash} balancer: consistent hashing on a ring, so requests with the same key (the
 * client's address, a header, a cookie, the path or a query parameter) go to the same endpoint.
 *
 * <pre>{@code
 * upstreams:
 *   sessions:
 *     balancer: {ring-hash: {key: cookie, name: session, min-ring-size: 4096}}
 *     endpoints: [10.0.0.41:8080, 10.0.0.42:8080, {address: 10.0.0.43:8080, weight: 2}]
 * }</pre>
 *
 * <p>When an endpoint leaves the healthy set only the keys it served move, spread over the others;
 * when it comes back they return. Shares follow the weights. Requests without the key are spread at
 * random. Compared with {@code maglev}: lookups are a binary search rather than one array read, and
 * exactly the departed endpoint's keys move, where Maglev moves a few more. Settings: {@link
 * RingHashConfig}.
 */
@Extension
public final class RingHashBalancerFactory implements BalancerFactory<RingHashConfig> {

    @Override
    public String name() {
        return "ring-hash";
    }

    @Override
    public Class<RingHashConfig> configType() {
        return RingHashConfig.class;
    }

    @Override
    public Balancer create(RingHashConfig config, ExtensionContext context) {
        return new ConsistentHashBalancer(new RequestKey(config.key(), config.name()),
                new HashRing.Builder(config.minRingSize()), PerThreadRandom.INSTANCE);
    }
}
