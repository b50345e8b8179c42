package io.portico.plugins.balancers;

import io.portico.api.balancer.Balancer;
import io.portico.api.balancer.Endpoint;
import io.portico.api.balancer.SelectionContext;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The power of N random choices: draws a few endpoints at random and picks the least loaded of them
 * for its weight (see {@link Loads}).
 *
 * <p>Each draw after the first is taken among the endpoints other than the best so far, so with two
 * choices the two are always distinct, and an endpoint more loaded than some other is never picked:
 * wherever it is drawn, it meets a better one. With at least as many choices as endpoints every
 * endpoint is compared, and a tie for the least load is broken at random.
 *
 * <p>Loads are read from the endpoints ({@link Endpoint#activeRequests()}): a pick reads only a few
 * of them, so keeping counts of its own would cost every request more than it saves.
 */
final class LeastRequestBalancer implements Balancer {

    private final int choices;
    private final RandomGenerator random;

    /**
     * @param choices how many endpoints to compare, at least 2
     * @param random where the draws come from
     */
    LeastRequestBalancer(int choices, RandomGenerator random) {
        this.choices = choices;
        this.random = random;
    }

    @Override
    public Endpoint select(List<Endpoint> endpoints, SelectionContext context) {
        int size = endpoints.size();
        if (size == 1) {
            return endpoints.getFirst();
        }
        return choices >= size ? leastOfAll(endpoints, size) : drawChoices(endpoints, size);
    }

    /** The least loaded of all the endpoints; the k-th tie replaces the choice with probability 1/k. */
    private Endpoint leastOfAll(List<Endpoint> endpoints, int size) {
        Endpoint best = endpoints.getFirst();
        int bestActive = best.activeRequests();
        int ties = 1;
        for (int i = 1; i < size; i++) {
            Endpoint candidate = endpoints.get(i);
            int active = candidate.activeRequests();
            int order = Loads.compare(active, candidate.weight(), bestActive, best.weight());
            if (order < 0) {
                ties = 1;
            } else if (order > 0 || random.nextInt(++ties) != 0) {
                continue;
            }
            best = candidate;
            bestActive = active;
        }
        return best;
    }

    private Endpoint drawChoices(List<Endpoint> endpoints, int size) {
        int bestIndex = random.nextInt(size);
        Endpoint best = endpoints.get(bestIndex);
        for (int drawn = 1; drawn < choices; drawn++) {
            int index = random.nextInt(size - 1);
            if (index >= bestIndex) {
                index++;
            }
            Endpoint candidate = endpoints.get(index);
            if (Loads.lighter(candidate, best)) {
                best = candidate;
                bestIndex = index;
            }
        }
        return best;
    }
}
