package io.portico.plugins.balancers;

import io.portico.api.balancer.Balancer;
import io.portico.api.balancer.Endpoint;
import io.portico.api.balancer.SelectionContext;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

/**
 * Picks the endpoint with the least load for its weight (see {@link Loads}), looking at every
 * endpoint.
 *
 * <p>The balancer counts the requests in flight on each endpoint itself, from Portico's {@link
 * #onRequestStarted} and {@link #onRequestEnded}, rather than reading {@link
 * Endpoint#activeRequests()}: a pick reads every endpoint's count, and reading a count of its own
 * (a field of a small object, found through an array) costs about a third less than a call through
 * the interface to a counter behind each endpoint, which with 100 endpoints is the difference
 * between under and over 100 ns. The counts are exact, since every start is matched by one end.
 *
 * <p>What does not change between picks is derived once per endpoint list ({@link PerListCache}):
 * the endpoints' counters in an array, and for each endpoint a factor that turns its load into a
 * whole number comparable with the others' (the least common multiple of the weights divided by
 * its weight; 1 when the weights are equal). A pick is then one pass over an array with one
 * multiplication and one comparison per endpoint, no list, map or weight lookups.
 *
 * <p>So that the counters do not pile up as endpoints come and go (a host name's DNS answer
 * changing), deriving a new list retires the counters of the endpoints it no longer holds that have
 * nothing in flight: their value moves from 0 to {@link Counter#RETIRED} and they leave the map. An
 * endpoint that left with requests in flight keeps its counter, so the count is still right when
 * it returns. Retiring is safe because a counter is retired only at zero, and a start never
 * increments a retired counter (it takes a fresh one from the map instead): no count is lost. An
 * endpoint seen again after its counter was retired simply starts from a fresh counter at 0, which
 * is its exact count. A pick still running on the array of an older list may meet a retired
 * counter; {@code RETIRED} is a huge load, so that endpoint is avoided rather than favoured.
 *
 * <p>The balancer also keeps the total in flight: when it is zero (an upstream whose requests do not
 * overlap), the endpoints of the greatest weight are known to tie for the least load, and one of
 * them is picked without reading any count.
 *
 * <p>Endpoints that tie for the least load are chosen among uniformly at random, in the same single
 * pass (reservoir sampling: the k-th tie replaces the choice with probability 1/k), so none of them
 * is favoured by its place in the list. The tie draws come from a small generator inlined in the
 * loop, seeded once per pick. Each tie costs a draw, so a pick among many tied endpoints with
 * requests in flight (rare: equal non-zero counts) costs about twice a typical one.
 */
final class LeastConnectionsBalancer implements Balancer {

    private final RandomGenerator random;
    private final ConcurrentHashMap<Endpoint, Counter> counters = new ConcurrentHashMap<>();
    /** The requests in flight on all endpoints together. */
    private final AtomicInteger inFlight = new AtomicInteger();
    private final PerListCache<Scan> scans = new PerListCache<>(this::build);

    /** @param random where tie-breaks come from */
    LeastConnectionsBalancer(RandomGenerator random) {
        this.random = random;
    }

    @Override
    public Endpoint select(List<Endpoint> endpoints, SelectionContext context) {
        Scan scan = scanFor(endpoints);
        long seed = random.nextLong();
        return inFlight.get() == 0 ? scan.pickIdle(seed) : scan.pick(seed);
    }

    @Override
    public void onRequestStarted(Endpoint endpoint) {
        while (true) {
            Counter counter = counters.get(endpoint);
            if (counter == null) {
                counter = counters.computeIfAbsent(endpoint, e -> new Counter());
            }
            if (counter.tryIncrement()) {
                inFlight.incrementAndGet();
                return;
            }
            // Retired since it was looked up: make way for a fresh one.
            counters.remove(endpoint, counter);
        }
    }

    @Override
    public void onRequestEnded(Endpoint endpoint) {
        // Never retired here: the request ending keeps its counter above zero until now.
        Counter counter = counters.get(endpoint);
        if (counter != null) {
            counter.decrement();
            inFlight.decrementAndGet();
        }
    }

    /** The requests in flight on {@code endpoint} as this balancer counts them. */
    int requestsInFlight(Endpoint endpoint) {
        Counter counter = counters.get(endpoint);
        return counter == null ? 0 : counter.value;
    }

    /** How many endpoints this balancer keeps a counter for. */
    int endpointsCounted() {
        return counters.size();
    }

    /** What a pick among {@code endpoints} reads (tests hold on to one while the list changes). */
    Scan scanFor(List<Endpoint> endpoints) {
        return scans.get(endpoints);
    }

    /**
     * Derives the scan of a new list, and retires the counters of the endpoints it leaves out that
     * have nothing in flight. Called under the cache's lock, so never twice at once.
     */
    private Scan build(List<Endpoint> endpoints) {
        Counter[] listed = new Counter[endpoints.size()];
        for (int i = 0; i < listed.length; i++) {
            listed[i] = counters.computeIfAbsent(endpoints.get(i), e -> new Counter());
        }
        Set<Endpoint> present = new HashSet<>(endpoints);
        counters.forEach((endpoint, counter) -> {
            if (!present.contains(endpoint) && counter.retire()) {
                counters.remove(endpoint, counter);
            }
        });
        return new Scan(endpoints, listed);
    }

    /** A count of requests in flight on one endpoint. */
    static final class Counter {

        /**
         * The value of a counter no longer in use. Far above any real count (a billion requests in
         * flight), so a pick that still reads it sees a heavy load; small enough that {@code
         * (RETIRED + 1)} times a scale or a weight (each below 2<sup>32</sup>) fits in a long.
         */
        static final int RETIRED = 1 << 30;

        private static final AtomicIntegerFieldUpdater<Counter> VALUE =
                AtomicIntegerFieldUpdater.newUpdater(Counter.class, "value");

        volatile int value;

        /** Counts a start, unless the counter is retired. */
        boolean tryIncrement() {
            while (true) {
                int current = value;
                if (current == RETIRED) {
                    return false;
                }
                if (VALUE.compareAndSet(this, current, current + 1)) {
                    return true;
                }
            }
        }

        void decrement() {
            VALUE.decrementAndGet(this);
        }

        /** Retires the counter if nothing is in flight; whether it did. */
        boolean retire() {
            return VALUE.compareAndSet(this, 0, RETIRED);
        }
    }

    /**
     * The endpoints of one list as a pick reads them: their counters in list order, and what turns a
     * count into a comparable load. Immutable, so shared by every event loop.
     */
    static final class Scan {

        /**
         * The largest common multiple of the weights that scales loads exactly: a count of requests
         * in flight plus one (at most {@link Counter#RETIRED} + 1) times it stays below 2<sup>63</sup>.
         */
        private static final long MAX_SCALE = (1L << 32) - 1;

        private final Endpoint[] endpoints;
        private final Counter[] counters;
        /**
         * By position, the least common multiple of the weights divided by the endpoint's weight (all
         * 1 when the weights are equal), or {@code null} when that multiple is too large.
         */
        private final long[] scales;
        /** The weights by position, for when {@link #scales} is {@code null}. */
        private final int[] weights;
        /** The positions of the endpoints of the greatest weight: the least loaded when all are idle. */
        private final int[] heaviest;

        Scan(List<Endpoint> list, Counter[] counters) {
            this.counters = counters;
            endpoints = list.toArray(Endpoint[]::new);
            weights = new int[endpoints.length];
            long multiple = 1;
            for (int i = 0; i < endpoints.length; i++) {
                weights[i] = endpoints[i].weight();
                if (multiple <= MAX_SCALE) {
                    // Below 2^32 times below 2^31: no overflow.
                    multiple = multiple / Loads.gcd(multiple, weights[i]) * weights[i];
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
            int greatest = Arrays.stream(weights).max().orElse(1);
            heaviest = IntStream.range(0, weights.length).filter(i -> weights[i] == greatest).toArray();
        }

        /**
         * The pick when nothing is in flight anywhere: every load is {@code 1 / weight}, so the
         * endpoints of the greatest weight tie for the least; one of them at random, without reading
         * a count.
         */
        Endpoint pickIdle(long seed) {
            return endpoints[heaviest[(int) (((seed >>> 32) * heaviest.length) >>> 32)]];
        }

        /** The least loaded endpoint, ties broken by draws from {@code seed}. */
        Endpoint pick(long seed) {
            return endpoints[scales != null ? leastScaled(seed) : leastCrossMultiplied(seed)];
        }

        /**
         * The position of the least loaded endpoint, from each endpoint's load scaled to a whole
         * number: {@code (active + 1) / weight} times the least common multiple of the weights.
         * One multiplication and one comparison per endpoint.
         */
        private int leastScaled(long state) {
            Counter[] all = counters;
            long[] scale = scales;
            int best = 0;
            long bestLoad = (all[0].value + 1L) * scale[0];
            int ties = 1;
            for (int i = 1; i < all.length; i++) {
                long load = (all[i].value + 1L) * scale[i];
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
            Counter[] all = counters;
            int[] w = weights;
            int best = 0;
            long bestLoad = all[0].value + 1L;
            long bestWeight = w[0];
            int ties = 1;
            for (int i = 1; i < all.length; i++) {
                long load = all[i].value + 1L;
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
