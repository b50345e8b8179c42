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
 * endpoint is compared, as {@link LeastConnectionsBalancer} does.
 */
final class LeastRequestBalancer implements Balancer {

    private final int choices;
    private final RandomGenerator random;
    private final LeastConnectionsBalancer scanAll;

    /**
     * @param choices how many endpoints to compare, at least 2
     * @param random where the draws come from
     */
    LeastRequestBalancer(int choices, RandomGenerator random) {
        this.choices = choices;
        this.random = random;
        this.scanAll = new LeastConnectionsBalancer(random);
    }

    @Override
    public Endpoint select(List<Endpoint> endpoints, SelectionContext context) {
        int size = endpoints.size();
        if (size == 1) {
            return endpoints.getFirst();
        }
        return choices >= size ? scanAll.select(endpoints, context) : drawChoices(endpoints, size);
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
