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
 * is favoured by its place in the list. The tie draws come from a small generator inlined in the
 * loop, seeded once per pick, so that an idle upstream whose endpoints all tie costs no more than
 * a busy one.
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
        long state = random.nextLong();
        for (int i = 1, size = endpoints.size(); i < size; i++) {
            Endpoint candidate = endpoints.get(i);
            int active = candidate.activeRequests();
            int weight = candidate.weight();
            int order = Loads.compare(active, weight, bestActive, bestWeight);
            if (order > 0) {
                continue;
            }
            if (order < 0) {
                ties = 1;
            } else {
                // The k-th tie wins with probability 1/k: a linear congruential step, whose high 32
                // bits times k, shifted down, are uniform in [0, k).
                state = state * 6364136223846793005L + 1442695040888963407L;
                if (((state >>> 32) * ++ties) >>> 32 != 0) {
                    continue;
                }
            }
            best = candidate;
            bestActive = active;
            bestWeight = weight;
        }
        return best;
    }
}
