package io.portico.plugins.balancers;

import io.portico.api.balancer.Balancer;
import io.portico.api.balancer.BalancerFactory;
import io.portico.api.config.ExtensionContext;
import org.pf4j.Extension;

/**
 * The {@code maglev} balancer: Google's Maglev consistent hashing, so requests with the same key (the
 * client's address, a header, a cookie, the path or a query parameter) go to the same endpoint.
 *
 * <pre>{@code
 * upstreams:
 *   cache:
 *     balancer: {maglev: {key: path}}
 *     endpoints: [10.0.0.51:8080, 10.0.0.52:8080, 10.0.0.53:8080]
 * }</pre>
 *
 * <p>A lookup is one read of a table built when the set of endpoints changes, the fastest of the
 * consistent-hashing balancers, and shares follow the weights closely. When an endpoint leaves, its
 * keys move to the others, and a small number of other keys move too (about 0.2% of all keys
 * with ten endpoints and the default table); when it comes back they return. Requests without the key are spread at
 * random. Settings: {@link MaglevConfig}.
 */
@Extension
public final class MaglevBalancerFactory implements BalancerFactory<MaglevConfig> {

    @Override
    public String name() {
        return "maglev";
    }

    @Override
    public Class<MaglevConfig> configType() {
        return MaglevConfig.class;
    }

    @Override
    public Balancer create(MaglevConfig config, ExtensionContext context) {
        int tableSize = config.tableSize();
        return new ConsistentHashBalancer(new RequestKey(config.key(), config.name()),
                endpoints -> MaglevTable.of(endpoints, tableSize), PerThreadRandom.INSTANCE);
    }
}
