package io.portico.plugins.balancers;

import io.portico.api.balancer.Balancer;
import io.portico.api.balancer.Endpoint;
import io.portico.api.balancer.SelectionContext;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Picks an endpoint at random with probability proportional to its weight, in constant time through
 * an {@link AliasTable} built once per endpoint list.
 */
final class WeightedRandomBalancer implements Balancer {

    private final RandomGenerator random;
    private final PerListCache<AliasTable> tables = new PerListCache<>(AliasTable::of);

    /** @param random where the draws come from */
    WeightedRandomBalancer(RandomGenerator random) {
        this.random = random;
    }

    @Override
    public Endpoint select(List<Endpoint> endpoints, SelectionContext context) {
        return endpoints.get(tables.get(endpoints).draw(random));
    }
}
