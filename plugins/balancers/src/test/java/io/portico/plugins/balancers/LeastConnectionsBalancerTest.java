package io.portico.plugins.balancers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.portico.api.balancer.Balancer;
import io.portico.api.balancer.Endpoint;
import io.portico.api.config.NoConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LeastConnectionsBalancerTest {

    private final LeastConnectionsBalancer balancer = new LeastConnectionsBalancer(new SplittableRandom(11));

    /** Starts {@code requests} requests on {@code endpoint}, as Portico reports them. */
    private static void start(Balancer balancer, Endpoint endpoint, int requests) {
        for (int i = 0; i < requests; i++) {
            balancer.onRequestStarted(endpoint);
        }
    }

    private void start(Endpoint endpoint, int requests) {
        start(balancer, endpoint, requests);
    }

    /** Ends {@code requests} of the requests started on {@code endpoint}. */
    private void end(Endpoint endpoint, int requests) {
        for (int i = 0; i < requests; i++) {
            balancer.onRequestEnded(endpoint);
        }
    }

    private Map<Endpoint, Integer> picks(List<Endpoint> endpoints, int times) {
        Map<Endpoint, Integer> counts = new HashMap<>();
        for (int i = 0; i < times; i++) {
            counts.merge(balancer.select(endpoints, null), 1, Integer::sum);
        }
        return counts;
    }

    /** Asserts that {@code times} picks among {@code endpoints} go to {@code sharing} only, evenly. */
    private void assertSharedEvenly(List<Endpoint> endpoints, int times, Endpoint... sharing) {
        assertThat(picks(endpoints, times)).containsOnlyKeys(sharing)
                .allSatisfy((endpoint, picks) -> assertThat(picks).isCloseTo(times / sharing.length, within(150)));
    }

    /** What one of the threads of {@link #onThreads} does, given its number. */
    @FunctionalInterface
    private interface ThreadBody {
        void run(int thread) throws Exception;
    }

    /** Runs {@code body} on {@code threads} threads started together, and waits for all of them. */
    private static void onThreads(int threads, ThreadBody body) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    go.await();
                    body.run(thread);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void isNamedLeastConnections() {
        var factory = new LeastConnectionsBalancerFactory();
        assertThat(factory.name()).isEqualTo("least-connections");
        assertThat(factory.configType()).isEqualTo(NoConfig.class);
        assertThat(factory.create(NoConfig.INSTANCE, Contexts.EXTENSION)).isInstanceOf(LeastConnectionsBalancer.class);
    }

    @Test
    void avoidsAnEndpointHoldingSlowRequests() {
        List<Endpoint> endpoints = TestEndpoint.list(4);
        start(endpoints.get(2), 3);

        Map<Endpoint, Integer> counts = picks(endpoints, 9_000);

        // The idle three tie; the tie is broken at random, evenly.
        assertThat(counts).doesNotContainKey(endpoints.get(2));
        assertThat(counts.values()).allSatisfy(picks -> assertThat(picks).isCloseTo(3_000, within(150)));
    }

    @Test
    void findsTheLeastLoadedWhereverItStandsInTheList() {
        // Lists of every size around the tree's groups of 8 and its top level of 16.
        for (int size : List.of(7, 8, 9, 12, 16, 17, 100, 129)) {
            LeastConnectionsBalancer fresh = new LeastConnectionsBalancer(new SplittableRandom(size));
            List<Endpoint> endpoints = TestEndpoint.list(size);
            endpoints.forEach(endpoint -> start(fresh, endpoint, 1));
            Endpoint last = endpoints.get(size - 1);
            fresh.onRequestEnded(last);

            for (int i = 0; i < 50; i++) {
                assertThat(fresh.select(endpoints, null)).as("among %d endpoints", size).isEqualTo(last);
            }
        }
    }

    @Test
    void anIdleUpstreamSharesItsRequestsAmongTheHeaviestEndpoints() {
        // Nothing in flight: loads are 1/weight, so the endpoints of weight 3 tie for the least.
        List<Endpoint> endpoints = TestEndpoint.weighted(1, 3, 2, 3);

        assertSharedEvenly(endpoints, 6_000, endpoints.get(1), endpoints.get(3));

        // One request in flight anywhere, and counts are read again: its endpoint loses.
        start(endpoints.get(3), 1);
        assertThat(picks(endpoints, 100)).containsOnlyKeys(endpoints.get(1));
        end(endpoints.get(3), 1);
        assertThat(picks(endpoints, 6_000)).containsOnlyKeys(endpoints.get(1), endpoints.get(3));
    }

    @Test
    void picksTheEndpointWithFewestRequestsInFlight() {
        List<Endpoint> endpoints = TestEndpoint.list(3);
        start(endpoints.get(0), 5);
        start(endpoints.get(1), 2);
        start(endpoints.get(2), 4);

        assertThat(balancer.select(endpoints, null)).isSameAs(endpoints.get(1));
    }

    @Test
    void countsTheBalancersOwnRequestsNotTheEndpointsCounters() {
        List<Endpoint> endpoints = TestEndpoint.list(2);
        // What the endpoint itself reports does not matter: only the starts and ends heard do.
        ((TestEndpoint) endpoints.get(0)).active(50);
        start(endpoints.get(1), 1);

        assertThat(balancer.select(endpoints, null)).isSameAs(endpoints.get(0));
    }

    @Test
    void requestsInFlightSettleInProportionToTheWeights() {
        // Requests that never finish: each pick adds to the load of the endpoint picked.
        List<Endpoint> endpoints = TestEndpoint.weighted(1, 3, 2);
        for (int i = 0; i < 600; i++) {
            balancer.onRequestStarted(balancer.select(endpoints, null));
        }

        assertThat(endpoints).extracting(balancer::requestsInFlight).containsExactly(100, 300, 200);
    }

    @Test
    void aHeavierEndpointTakesMoreRequestsInFlightBeforeLosing() {
        List<Endpoint> endpoints = TestEndpoint.weighted(1, 4);
        start(endpoints.get(0), 1);
        start(endpoints.get(1), 6);

        // Loads (1+1)/1 = 2 against (6+1)/4 = 1.75: the heavier endpoint still has room.
        assertThat(balancer.select(endpoints, null)).isSameAs(endpoints.get(1));
    }

    @Test
    void endpointsOfEqualLoadForTheirWeightShareTheTies() {
        List<Endpoint> endpoints = TestEndpoint.weighted(1, 2, 1);
        start(endpoints.get(1), 1);
        start(endpoints.get(2), 1);

        // Loads (0+1)/1 = 1 and (1+1)/2 = 1 tie exactly; (1+1)/1 = 2 loses.
        assertSharedEvenly(endpoints, 6_000, endpoints.get(0), endpoints.get(1));
    }

    @Test
    void weightsWithAHugeCommonMultipleStillCompareExactly() {
        // The least common multiple of these weights is about 10^12, too large to scale loads by.
        List<Endpoint> endpoints = TestEndpoint.weighted(1_000_003, 1_000_033, 1);
        start(endpoints.get(0), 1_000_002);
        start(endpoints.get(1), 1_000_033);

        // Loads 1_000_003/1_000_003 = 1 and 1/1 = 1 tie exactly; 1_000_034/1_000_033 loses, barely.
        assertSharedEvenly(endpoints, 6_000, endpoints.get(0), endpoints.get(2));
    }

    @Test
    void countsFollowEndpointsLeavingAndComingBackWithRequestsInFlight() {
        List<Endpoint> all = TestEndpoint.list(3);
        Endpoint a = all.get(0);
        Endpoint b = all.get(1);
        Endpoint c = all.get(2);
        start(a, 3);
        start(c, 1);
        assertThat(balancer.select(all, null)).isSameAs(b);

        // b leaves (failing health checks) while requests sent to it are still in flight.
        start(b, 5);
        List<Endpoint> withoutB = List.of(a, c);
        assertThat(balancer.select(withoutB, null)).isSameAs(c);

        // b comes back, a new list again: its five requests count against it.
        List<Endpoint> again = List.of(a, b, c);
        assertThat(balancer.select(again, null)).isSameAs(c);

        // Same list, counts moved by requests starting and ending: the pick follows them.
        start(c, 6);
        assertThat(balancer.select(again, null)).isSameAs(a);
        end(b, 5);
        assertThat(balancer.select(again, null)).isSameAs(b);
    }

    @Test
    void anEndpointGoneWithNothingInFlightIsForgottenAndOneWithRequestsInFlightIsKept() {
        List<Endpoint> all = TestEndpoint.list(3);
        Endpoint a = all.get(0);
        Endpoint b = all.get(1);
        Endpoint c = all.get(2);
        balancer.select(all, null);
        assertThat(balancer.endpointsCounted()).isEqualTo(3);

        // b and c leave; b still has two requests in flight, c has none.
        start(b, 2);
        balancer.select(List.of(a), null);
        assertThat(balancer.endpointsCounted()).isEqualTo(2);
        assertThat(balancer.requestsInFlight(b)).isEqualTo(2);

        // b comes back with its requests still in flight: they count against it.
        start(a, 1);
        List<Endpoint> withB = List.of(a, b);
        assertThat(balancer.select(withB, null)).isSameAs(a);
        // They end: b is the lighter again.
        end(b, 2);
        assertThat(balancer.select(withB, null)).isSameAs(b);

        // c comes back after being forgotten: it starts from zero, its exact count.
        List<Endpoint> withC = List.of(a, b, c);
        start(b, 1);
        assertThat(balancer.select(withC, null)).isSameAs(c);
        balancer.onRequestStarted(c);
        assertThat(balancer.requestsInFlight(c)).isEqualTo(1);
        assertThat(balancer.endpointsCounted()).isEqualTo(3);
    }

    @Test
    void aPickStillReadingEveryCountOfAnOlderListAvoidsAnEndpointWhoseCounterWasRetired() {
        // Weights of a huge common multiple: no tree, a pick reads every counter of its list.
        List<Endpoint> all = TestEndpoint.weighted(1_000_003, 1_000_033, 1_000_037);
        Endpoint retired = all.get(2);
        start(all.get(0), 1);
        start(all.get(1), 1);
        LeastConnectionsBalancer.Scan stale = balancer.scanFor(all);

        // A new list without the idle endpoint retires its counter while the old scan is in use.
        balancer.select(all.subList(0, 2), null);
        assertThat(balancer.endpointsCounted()).isEqualTo(2);

        // The retired counter reads as a huge load, not as an idle endpoint.
        SplittableRandom seeds = new SplittableRandom(5);
        for (int i = 0; i < 1_000; i++) {
            assertThat(stale.pick(seeds.nextLong())).isNotSameAs(retired);
        }
    }

    @Test
    void countsChangedWhileARetryListIsInUseStillCountWhenTheUsualListComesBack() {
        List<Endpoint> all = TestEndpoint.list(4);
        start(all.get(0), 2);
        start(all.get(1), 2);
        start(all.get(2), 2);
        assertThat(balancer.select(all, null)).isSameAs(all.get(3));

        // A retry leaves out the endpoint tried: its list is derived, and counts move meanwhile.
        List<Endpoint> retry = all.subList(0, 3);
        balancer.select(retry, null);
        start(all.get(3), 3);
        end(all.get(1), 1);

        // The usual list (the same instance) comes back: derived again, it reads the moved counts.
        assertThat(balancer.select(all, null)).isSameAs(all.get(1));
        end(all.get(1), 1);
        start(all.get(0), 1);
        assertThat(balancer.select(all, null)).isSameAs(all.get(1));
    }

    @Test
    void anEndpointListedTwiceIsStillCountedRight() {
        List<Endpoint> two = TestEndpoint.list(2);
        List<Endpoint> withDuplicate = List.of(two.get(0), two.get(1), two.get(0));
        start(two.get(0), 2);

        assertThat(picks(withDuplicate, 100)).containsOnlyKeys(two.get(1));
        start(two.get(1), 3);
        assertThat(picks(withDuplicate, 100)).containsOnlyKeys(two.get(0));
    }

    @Test
    void manyEndpointsOfUnevenWeightsAndCountsGetThePickOfEveryCountRead() {
        // The tree of 100 endpoints against a direct reading of every count, as counts move.
        SplittableRandom random = new SplittableRandom(3);
        int[] weights = random.ints(100, 1, 5).toArray();
        List<Endpoint> endpoints = TestEndpoint.weighted(weights);
        for (Endpoint endpoint : endpoints) {
            start(endpoint, random.nextInt(16));
        }
        for (int round = 0; round < 200; round++) {
            Endpoint moved = endpoints.get(random.nextInt(endpoints.size()));
            if (balancer.requestsInFlight(moved) > 0 && random.nextBoolean()) {
                end(moved, 1);
            } else {
                start(moved, 1);
            }
            Endpoint picked = balancer.select(endpoints, null);
            for (Endpoint other : endpoints) {
                assertThat(Loads.compare(balancer.requestsInFlight(picked), picked.weight(),
                        balancer.requestsInFlight(other), other.weight())).isLessThanOrEqualTo(0);
            }
        }
    }

    @Test
    void startsAndEndsOnManyThreadsLeaveEveryCountAtZero() throws Exception {
        // Four threads send requests and end them; two of them offer a new list on every pick, every
        // other one without the last endpoint, so its counter keeps being retired and recreated
        // under the others' starts.
        int threads = 4;
        List<Endpoint> all = TestEndpoint.list(4);
        List<Endpoint> fewer = all.subList(0, 3);
        onThreads(threads, thread -> {
            boolean changesLists = thread % 2 == 0;
            for (int i = 0; i < 100_000; i++) {
                List<Endpoint> offered = changesLists ? List.copyOf(i % 2 == 0 ? fewer : all) : all;
                Endpoint picked = balancer.select(offered, null);
                balancer.onRequestStarted(picked);
                balancer.onRequestStarted(all.get(3));
                balancer.onRequestEnded(picked);
                balancer.onRequestEnded(all.get(3));
            }
        });

        assertThat(all).extracting(balancer::requestsInFlight).containsOnly(0);
        assertSharedEvenly(List.copyOf(all), 8_000, all.toArray(Endpoint[]::new));
    }

    @Test
    void startsAndEndsOnManyThreadsLeaveTheTreeOfAnUnchangedListEven() throws Exception {
        // One list throughout, never derived again: what picks read afterwards is what the starts
        // and ends carried up the tree, racing each other.
        int threads = 4;
        List<Endpoint> all = TestEndpoint.list(20);
        balancer.select(all, null);
        onThreads(threads, thread -> {
            List<Endpoint> held = new ArrayList<>();
            for (int i = 0; i < 50_000; i++) {
                Endpoint picked = balancer.select(all, null);
                balancer.onRequestStarted(picked);
                held.add(picked);
                if (held.size() == 8) {
                    held.forEach(balancer::onRequestEnded);
                    held.clear();
                }
            }
            held.forEach(balancer::onRequestEnded);
        });

        assertThat(all).extracting(balancer::requestsInFlight).containsOnly(0);
        // One request in flight, so that picks read the tree: the 19 others tie, all of them.
        start(all.get(0), 1);
        assertSharedEvenly(all, 19_000, all.subList(1, 20).toArray(Endpoint[]::new));
    }

    @Test
    void aTreeOfSeveralLevelsUpdatedFromManyThreadsAgreesWithEveryCountReadAfterwards() throws Exception {
        // 1,000 endpoints of uneven weights: groups, groups of groups, and a top level. Four threads
        // start and end requests on endpoints of their choosing (not only the least loaded, so
        // that every kind of change races), each leaving some in flight at the end.
        int threads = 4;
        SplittableRandom weights = new SplittableRandom(7);
        List<Endpoint> all = TestEndpoint.weighted(weights.ints(1_000, 1, 5).toArray());
        balancer.select(all, null);
        onThreads(threads, thread -> {
            SplittableRandom random = new SplittableRandom(100 + thread);
            List<Endpoint> held = new ArrayList<>();
            for (int i = 0; i < 100_000; i++) {
                Endpoint endpoint = random.nextInt(4) == 0
                        ? balancer.select(all, null)
                        : all.get(random.nextInt(all.size()));
                balancer.onRequestStarted(endpoint);
                held.add(endpoint);
                if (held.size() > 40) {
                    balancer.onRequestEnded(held.remove(random.nextInt(held.size())));
                }
            }
        });

        // Every pick now is an endpoint of the least load by a direct reading of every count, and
        // every endpoint of that load is picked.
        Endpoint least = all.stream().min((a, b) -> Loads.compare(balancer.requestsInFlight(a), a.weight(),
                balancer.requestsInFlight(b), b.weight())).orElseThrow();
        List<Endpoint> tied = all.stream().filter(e -> Loads.compare(balancer.requestsInFlight(e), e.weight(),
                balancer.requestsInFlight(least), least.weight()) == 0).toList();
        assertThat(picks(all, 2_000 * tied.size())).containsOnlyKeys(tied.toArray(Endpoint[]::new))
                .allSatisfy((endpoint, picks) -> assertThat(picks).isCloseTo(2_000, within(300)));
    }

    @Test
    void threadsPassingDifferentListsEachGetTheLeastLoadedOfTheirOwn() throws Exception {
        // Each thread's list has one endpoint clearly least loaded, a different one per thread, and
        // the threads keep replacing each other's list in the balancer's cache. Each has a request
        // in flight: an idle one would have its counter retired whenever another thread's list
        // comes in, and a pick racing that would avoid it (see the test of a retired counter).
        int threads = 4;
        Balancer shared = new LeastConnectionsBalancerFactory().create(NoConfig.INSTANCE, Contexts.EXTENSION);
        List<Endpoint> common = TestEndpoint.list(6);
        for (int i = 0; i < common.size(); i++) {
            start(shared, common.get(i), 10 + i);
        }
        List<List<Endpoint>> lists = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<Endpoint> own = new ArrayList<>(common);
            TestEndpoint mine = new TestEndpoint("10.0.1." + t, 1 + t);
            start(shared, mine, 1 + t);
            own.add(t % 2 == 0 ? 0 : own.size(), mine);
            lists.add(List.copyOf(own));
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Map<Endpoint, Integer>>> results = new ArrayList<>();
            for (List<Endpoint> list : lists) {
                results.add(pool.submit(() -> {
                    start.await();
                    Map<Endpoint, Integer> counts = new HashMap<>();
                    for (int i = 0; i < 20_000; i++) {
                        // A fresh copy now and then, as retries and slow start pass lists of their own.
                        List<Endpoint> offered = i % 100 == 0 ? List.copyOf(list) : list;
                        counts.merge(shared.select(offered, null), 1, Integer::sum);
                    }
                    return counts;
                }));
            }
            start.countDown();

            for (int t = 0; t < threads; t++) {
                Endpoint own = lists.get(t).stream().filter(e -> e.host().startsWith("10.0.1.")).findFirst().orElseThrow();
                assertThat(results.get(t).get(30, TimeUnit.SECONDS)).containsOnlyKeys(own);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
