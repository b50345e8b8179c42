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
 * <p>The counts of requests in flight are read live from the endpoints on every pick: Portico keeps
 * them, across all event loops, from the moment a request is sent until its response ends, so they
 * stay right while endpoints come and go. What does not change between picks is derived once per
 * endpoint list ({@link PerListCache}): the endpoints in an array, and for each a factor that turns
 * its load into a whole number comparable with the others' (the least common multiple of the
 * weights divided by its weight; 1 when the weights are equal). A pick is then one pass over an
 * array with one multiplication and one comparison per endpoint, no list or weight lookups.
 *
 * <p>Endpoints that tie for the least load are chosen among uniformly at random, in the same single
 * pass (reservoir sampling: the k-th tie replaces the choice with probability 1/k), so none of them
 * is favoured by its place in the list. The tie draws come from a small generator inlined in the
 * loop, seeded once per pick, so that an idle upstream whose endpoints all tie costs no more than
 * a busy one.
 */
final class LeastConnectionsBalancer implements Balancer {

    private final RandomGenerator random;
    private final PerListCache<Scan> scans = new PerListCache<>(Scan::new);

    /** @param random where tie-breaks come from */
    LeastConnectionsBalancer(RandomGenerator random) {
        this.random = random;
    }

    @Override
    public Endpoint select(List<Endpoint> endpoints, SelectionContext context) {
        return scans.get(endpoints).pick(random.nextLong());
    }

    /** The endpoints of one list as a pick reads them. Immutable, so shared by every event loop. */
    private static final class Scan {

        /**
         * The largest common multiple of the weights that scales loads exactly: a count of requests
         * in flight plus one (at most 2<sup>31</sup>) times it stays below 2<sup>63</sup>.
         */
        private static final long MAX_SCALE = (1L << 32) - 1;

        private final Endpoint[] endpoints;
        /**
         * By position, the least common multiple of the weights divided by the endpoint's weight (all
         * 1 when the weights are equal), or {@code null} when that multiple is too large.
         */
        private final long[] scales;
        /** The weights by position, for when {@link #scales} is {@code null}. */
        private final int[] weights;

        Scan(List<Endpoint> list) {
            endpoints = list.toArray(Endpoint[]::new);
            weights = new int[endpoints.length];
            long multiple = 1;
            for (int i = 0; i < endpoints.length; i++) {
                weights[i] = endpoints[i].weight();
                if (multiple <= MAX_SCALE) {
                    // Below 2^32 times below 2^31: no overflow.
                    multiple = multiple / gcd(multiple, weights[i]) * weights[i];
                }
            }
            if (multiple <= MAX_SCALE) {
                scales = new long[endpoints.length];
                for (int i = 0; i < endpoints.length; i++) {
                    scales[i] = multiple / weights[i];
                }
            } else {
                scales = null;
            }
        }

        Endpoint pick(long seed) {
            return endpoints[scales != null ? leastScaled(seed) : leastCrossMultiplied(seed)];
        }

        /**
         * The position of the least loaded endpoint, from each endpoint's load scaled to a whole
         * number: {@code (active + 1) / weight} times the least common multiple of the weights.
         * One multiplication and one comparison per endpoint.
         */
        private int leastScaled(long state) {
            Endpoint[] all = endpoints;
            long[] scale = scales;
            int best = 0;
            long bestLoad = (all[0].activeRequests() + 1L) * scale[0];
            int ties = 1;
            for (int i = 1; i < all.length; i++) {
                long load = (all[i].activeRequests() + 1L) * scale[i];
                if (load > bestLoad) {
                    continue;
                }
                if (load < bestLoad) {
                    ties = 1;
                } else {
                    state = step(state);
                    if (!replaces(state, ++ties)) {
                        continue;
                    }
                }
                best = i;
                bestLoad = load;
            }
            return best;
        }

        /**
         * The same as {@link #leastScaled} for weights whose common multiple is too large to scale
         * by: compares {@code (active + 1) * otherWeight} with the other endpoint's, as {@link
         * Loads#compare} does.
         */
        private int leastCrossMultiplied(long state) {
            Endpoint[] all = endpoints;
            int[] w = weights;
            int best = 0;
            long bestLoad = all[0].activeRequests() + 1L;
            long bestWeight = w[0];
            int ties = 1;
            for (int i = 1; i < all.length; i++) {
                long load = all[i].activeRequests() + 1L;
                long weight = w[i];
                long mine = load * bestWeight;
                long theirs = bestLoad * weight;
                if (mine > theirs) {
                    continue;
                }
                if (mine < theirs) {
                    ties = 1;
                } else {
                    state = step(state);
                    if (!replaces(state, ++ties)) {
                        continue;
                    }
                }
                best = i;
                bestLoad = load;
                bestWeight = weight;
            }
            return best;
        }

        private static long gcd(long a, long b) {
            while (b != 0) {
                long r = a % b;
                a = b;
                b = r;
            }
            return a;
        }

        /** One step of a linear congruential generator. */
        private static long step(long state) {
            return state * 6364136223846793005L + 1442695040888963407L;
        }

        /**
         * Whether the {@code ties}-th tie replaces the choice, with probability 1/ties: the high 32
         * bits of the state times {@code ties}, shifted down, are uniform in [0, ties).
         */
        private static boolean replaces(long state, int ties) {
            return ((state >>> 32) * ties) >>> 32 == 0;
        }
    }
}
