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
 * Picks the endpoint with the least load for its weight (see {@link Loads}), among every endpoint.
 *
 * <p>The balancer counts the requests in flight on each endpoint itself, from Portico's {@link
 * #onRequestStarted} and {@link #onRequestEnded}, rather than reading {@link
 * Endpoint#activeRequests()}. The counts are exact, since every start is matched by one end.
 *
 * <p>A pick does not read every count: for the endpoint list in use, a {@link LoadTree} keeps the
 * least load and how many endpoints share it for every group of 8 endpoints (and, in lists of
 * more than 128, for every group of 8 groups, and so on). A pick among 100 endpoints reads the 13
 * groups' least loads, then the counts of one group; a start or an end on an endpoint that neither
 * was nor is among its group's least loaded changes nothing else, and otherwise derives its group's
 * node again, going on up only if that changed. Scaling loads to whole
 * numbers (by the least common multiple of the weights divided by each weight) lets the tree
 * compare them without division. Weights whose common multiple is too large for that, and lists too
 * large for the tree, are served by reading every count instead, comparing loads by cross
 * multiplication.
 *
 * <p>Starts and ends update the tree of the latest list derived ({@link PerListCache} keeps one):
 * deriving a new list publishes its tree, then reads every count into it, so a count that changed
 * while it was being derived is caught either by the reading or by the start or end, which checks
 * after its update whether a newer tree appeared. A list passed now and then (a retry leaving out
 * the endpoints already tried) makes its own tree the latest until the usual list comes back: each
 * change costs one pass over the list.
 *
 * <p>So that the counters do not pile up as endpoints come and go (a host name's DNS answer
 * changing), deriving a new list retires the counters of the endpoints it no longer holds that have
 * nothing in flight: their value moves from 0 to {@link Counter#RETIRED} and they leave the map. An
 * endpoint that left with requests in flight keeps its counter, so the count is still right when
 * it returns. Retiring is safe because a counter is retired only at zero, and a start never
 * increments a retired counter (it takes a fresh one from the map instead): no count is lost. An
 * endpoint seen again after its counter was retired simply starts from a fresh counter at 0, which
 * is its exact count. A pick still reading every count of an older list may meet a retired
 * counter; {@code RETIRED} is a huge load, so that endpoint is avoided rather than favoured.
 *
 * <p>The balancer also keeps the total in flight: when it is zero (an upstream whose requests do not
 * overlap), the endpoints of the greatest weight are known to tie for the least load, and one of
 * them is picked without looking further.
 *
 * <p>Endpoints that tie for the least load are chosen among uniformly at random (the tree counts
 * the ties on either side of each step), so none of them is favoured by its place in the list.
 */
final class LeastConnectionsBalancer implements Balancer {

    private final RandomGenerator random;
    private final ConcurrentHashMap<Endpoint, Counter> counters = new ConcurrentHashMap<>();
    /** The requests in flight on all endpoints together. */
    private final AtomicInteger inFlight = new AtomicInteger();
    private final PerListCache<Scan> scans = new PerListCache<>(this::build);
    /** The scan of the list derived last: the one whose tree starts and ends update. */
    private volatile Scan latest;

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
            int count = counter.tryIncrement();
            if (count > 0) {
                inFlight.incrementAndGet();
                changed(counter, count - 1, count);
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
            int count = counter.decrement();
            inFlight.decrementAndGet();
            changed(counter, count + 1, count);
        }
    }

    /**
     * Carries a changed count into the latest tree, and into a newer one if a list was derived
     * meanwhile (which may have read the count before it changed).
     */
    private void changed(Counter counter, int before, int after) {
        Scan scan = latest;
        while (scan != null) {
            scan.refresh(counter, before, after);
            Scan newer = latest;
            scan = newer == scan ? null : newer;
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
     * Derives the scan of a new list, makes it the one starts and ends update, and retires the
     * counters of the endpoints it leaves out that have nothing in flight. Called under the cache's
     * lock, so never twice at once.
     */
    private Scan build(List<Endpoint> endpoints) {
        Counter[] listed = new Counter[endpoints.size()];
        for (int i = 0; i < listed.length; i++) {
            listed[i] = counters.computeIfAbsent(endpoints.get(i), e -> new Counter());
        }
        Scan scan = new Scan(endpoints, listed);
        latest = scan;
        scan.refreshAll();
        Set<Endpoint> present = new HashSet<>(endpoints);
        counters.forEach((endpoint, counter) -> {
            if (!present.contains(endpoint) && counter.retire()) {
                counters.remove(endpoint, counter);
            }
        });
        return scan;
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
        /**
         * The counter's position in the list of the latest tree, set when the tree is derived. Read
         * without synchronization: a start or an end checks that the tree holds this counter there.
         */
        int position = -1;

        /** Counts a start, unless the counter is retired; the count after it, or 0 if retired. */
        int tryIncrement() {
            while (true) {
                int current = value;
                if (current == RETIRED) {
                    return 0;
                }
                if (VALUE.compareAndSet(this, current, current + 1)) {
                    return current + 1;
                }
            }
        }

        /** Counts an end; the count after it. */
        int decrement() {
            return VALUE.decrementAndGet(this);
        }

        /** Retires the counter if nothing is in flight; whether it did. */
        boolean retire() {
            return VALUE.compareAndSet(this, 0, RETIRED);
        }
    }

    /**
     * The endpoints of one list as a pick reads them: their counters in list order, and either the
     * tree of their loads or, when the list does not fit one, their weights. Shared by every event
     * loop.
     */
    static final class Scan {

        private final Endpoint[] endpoints;
        private final Counter[] counters;
        /** The loads of the endpoints, or {@code null} when they do not fit a tree. */
        private final LoadTree tree;
        /** The weights by position, for when there is no tree. */
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
                if (multiple <= LoadTree.MAX_SCALE) {
                    // At most 2^16 times below 2^31: no overflow.
                    multiple = multiple / Loads.gcd(multiple, weights[i]) * weights[i];
                }
            }
            tree = LoadTree.fits(endpoints.length, multiple) && placeCounters(counters)
                    ? new LoadTree(counters, scales(weights, (int) multiple))
                    : null;
            int greatest = Arrays.stream(weights).max().orElse(1);
            heaviest = IntStream.range(0, weights.length).filter(i -> weights[i] == greatest).toArray();
        }

        /**
         * Records each counter's position; false if a counter appears twice (an endpoint listed
         * twice), which a tree cannot follow since a change refreshes one position.
         */
        private static boolean placeCounters(Counter[] counters) {
            for (int i = 0; i < counters.length; i++) {
                int placed = counters[i].position;
                if (placed >= 0 && placed < i && counters[placed] == counters[i]) {
                    return false;
                }
                counters[i].position = i;
            }
            return true;
        }

        private static int[] scales(int[] weights, int multiple) {
            return Arrays.stream(weights).map(weight -> multiple / weight).toArray();
        }

        /** Reads every count into the tree, if there is one. */
        void refreshAll() {
            if (tree != null) {
                tree.refreshAll();
            }
        }

        /**
         * Carries the change of {@code counter} from {@code before} to {@code after} into the tree,
         * if it is one of this list's.
         */
        void refresh(Counter counter, int before, int after) {
            int position = counter.position;
            if (tree != null && position >= 0 && position < counters.length && counters[position] == counter) {
                tree.refresh(position, before, after);
            }
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
            return endpoints[tree != null ? tree.pick(seed) : leastCrossMultiplied(seed)];
        }

        /**
         * The position of the least loaded endpoint, reading every count: compares {@code (active +
         * 1) * otherWeight} with the other endpoint's, as {@link Loads#compare} does. Ties are drawn
         * by reservoir sampling: the k-th tie replaces the choice with probability 1/k.
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
