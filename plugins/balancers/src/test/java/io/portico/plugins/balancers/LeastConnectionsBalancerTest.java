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

    private final Balancer balancer = new LeastConnectionsBalancer(new SplittableRandom(11));

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
        ((TestEndpoint) endpoints.get(2)).active(3);

        Map<Endpoint, Integer> counts = new HashMap<>();
        for (int i = 0; i < 9_000; i++) {
            counts.merge(balancer.select(endpoints, null), 1, Integer::sum);
        }

        // The idle three tie; the tie is broken at random, evenly.
        assertThat(counts).doesNotContainKey(endpoints.get(2));
        assertThat(counts.values()).allSatisfy(picks -> assertThat(picks).isCloseTo(3_000, within(150)));
    }

    @Test
    void picksTheEndpointWithFewestRequestsInFlight() {
        List<Endpoint> endpoints = TestEndpoint.list(3);
        ((TestEndpoint) endpoints.get(0)).active(5);
        ((TestEndpoint) endpoints.get(1)).active(2);
        ((TestEndpoint) endpoints.get(2)).active(4);

        assertThat(balancer.select(endpoints, null)).isSameAs(endpoints.get(1));
    }

    @Test
    void requestsInFlightSettleInProportionToTheWeights() {
        // Requests that never finish: each pick adds to the load of the endpoint picked.
        List<Endpoint> endpoints = TestEndpoint.weighted(1, 3, 2);
        for (int i = 0; i < 600; i++) {
            TestEndpoint picked = (TestEndpoint) balancer.select(endpoints, null);
            picked.active(picked.activeRequests() + 1);
        }

        assertThat(endpoints).extracting(Endpoint::activeRequests).containsExactly(100, 300, 200);
    }

    @Test
    void aHeavierEndpointTakesMoreRequestsInFlightBeforeLosing() {
        List<Endpoint> endpoints = TestEndpoint.weighted(1, 4);
        ((TestEndpoint) endpoints.get(0)).active(1);
        ((TestEndpoint) endpoints.get(1)).active(6);

        // Loads (1+1)/1 = 2 against (6+1)/4 = 1.75: the heavier endpoint still has room.
        assertThat(balancer.select(endpoints, null)).isSameAs(endpoints.get(1));
    }

    @Test
    void endpointsOfEqualLoadForTheirWeightShareTheTies() {
        List<Endpoint> endpoints = TestEndpoint.weighted(1, 2, 1);
        ((TestEndpoint) endpoints.get(1)).active(1);
        ((TestEndpoint) endpoints.get(2)).active(1);

        Map<Endpoint, Integer> counts = new HashMap<>();
        for (int i = 0; i < 6_000; i++) {
            counts.merge(balancer.select(endpoints, null), 1, Integer::sum);
        }

        // Loads (0+1)/1 = 1 and (1+1)/2 = 1 tie exactly; (1+1)/1 = 2 loses.
        assertThat(counts).containsOnlyKeys(endpoints.get(0), endpoints.get(1))
                .allSatisfy((endpoint, picks) -> assertThat(picks).isCloseTo(3_000, within(150)));
    }

    @Test
    void weightsWithAHugeCommonMultipleStillCompareExactly() {
        // The least common multiple of these weights is about 10^12, too large to scale loads by.
        List<Endpoint> endpoints = TestEndpoint.weighted(1_000_003, 1_000_033, 1);
        ((TestEndpoint) endpoints.get(0)).active(1_000_002);
        ((TestEndpoint) endpoints.get(1)).active(1_000_033);

        Map<Endpoint, Integer> counts = new HashMap<>();
        for (int i = 0; i < 6_000; i++) {
            counts.merge(balancer.select(endpoints, null), 1, Integer::sum);
        }

        // Loads 1_000_003/1_000_003 = 1 and 1/1 = 1 tie exactly; 1_000_034/1_000_033 loses, barely.
        assertThat(counts).containsOnlyKeys(endpoints.get(0), endpoints.get(2))
                .allSatisfy((endpoint, picks) -> assertThat(picks).isCloseTo(3_000, within(150)));
    }

    @Test
    void countsAreReadLiveAsEndpointsLeaveAndComeBack() {
        List<Endpoint> all = TestEndpoint.list(3);
        TestEndpoint a = ((TestEndpoint) all.get(0)).active(3);
        TestEndpoint b = ((TestEndpoint) all.get(1)).active(0);
        TestEndpoint c = ((TestEndpoint) all.get(2)).active(1);
        assertThat(balancer.select(all, null)).isSameAs(b);

        // b leaves (failing health checks) while requests sent to it are still in flight.
        b.active(5);
        List<Endpoint> withoutB = List.of(a, c);
        assertThat(balancer.select(withoutB, null)).isSameAs(c);

        // b comes back, a new list again: its five requests count against it.
        List<Endpoint> again = List.of(a, b, c);
        assertThat(balancer.select(again, null)).isSameAs(c);

        // Same list, counts moved by requests starting and ending: the pick follows them.
        c.active(7);
        assertThat(balancer.select(again, null)).isSameAs(a);
        b.active(0);
        assertThat(balancer.select(again, null)).isSameAs(b);
    }

    @Test
    void threadsPassingDifferentListsEachGetTheLeastLoadedOfTheirOwn() throws Exception {
        // Each thread's list has one endpoint clearly least loaded, a different one per thread, and
        // the threads keep replacing each other's list in the balancer's cache.
        int threads = 4;
        List<Endpoint> common = TestEndpoint.list(6);
        for (int i = 0; i < common.size(); i++) {
            ((TestEndpoint) common.get(i)).active(10 + i);
        }
        List<List<Endpoint>> lists = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<Endpoint> own = new ArrayList<>(common);
            own.add(t % 2 == 0 ? 0 : own.size(), new TestEndpoint("10.0.1." + t, 1 + t).active(t));
            lists.add(List.copyOf(own));
        }
        Balancer shared = new LeastConnectionsBalancerFactory().create(NoConfig.INSTANCE, Contexts.EXTENSION);
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
