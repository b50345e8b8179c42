package io.portico.plugins.balancers;

import io.portico.api.balancer.Balancer;
import io.portico.api.balancer.Endpoint;
import io.portico.api.balancer.SelectionContext;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Picks the endpoint with the least load for its weight (see {@link Loads}), looking at every
 * endpoint.
 *
 * <p>Endpoints that tie for the least load are chosen among uniformly at random, in the same single
 * pass (reservoir sampling: the k-th tie replaces the choice with probability 1/k), so none of them
 * is favoured by its place in the list.
 */
final class LeastConnectionsBalancer implements Balancer {

    private final RandomGenerator random;

    /** @param random where tie-breaks come from */
    LeastConnectionsBalancer(RandomGenerator random) {
        this.random = random;
    }

    @Override
    public Endpoint select(List<Endpoint> endpoints, SelectionContext context) {
        Endpoint best = endpoints.getFirst();
        int bestActive = best.activeRequests();
        int bestWeight = best.weight();
        int ties = 1;
        for (int i = 1, size = endpoints.size(); i < size; i++) {
            Endpoint candidate = endpoints.get(i);
            int active = candidate.activeRequests();
            int weight = candidate.weight();
            int order = Loads.compare(active, weight, bestActive, bestWeight);
            if (order < 0) {
                ties = 1;
            } else if (order > 0 || random.nextInt(++ties) != 0) {
                continue;
            }
            best = candidate;
            bestActive = active;
            bestWeight = weight;
        }
        return best;
    }
}
