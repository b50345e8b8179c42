package io.portico.plugins.balancers;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class WeightedRoundRobinBalancerTest {

    private static List<Endpoint> picks(Balancer balancer, List<Endpoint> endpoints, int count) {
        return IntStream.range(0, count).mapToObj(i -> balancer.select(endpoints, null)).toList();
    }

    private static Map<Endpoint, Integer> count(List<Endpoint> picks) {
        Map<Endpoint, Integer> counts = new HashMap<>();
        picks.forEach(p -> counts.merge(p, 1, Integer::sum));
        return counts;
    }

    @Test
    void isNamedWeightedRoundRobin() {
        var factory = new WeightedRoundRobinBalancerFactory();
        assertThat(factory.name()).isEqualTo("weighted-round-robin");
        assertThat(factory.configType()).isEqualTo(NoConfig.class);
        assertThat(factory.create(NoConfig.INSTANCE, Contexts.EXTENSION)).isInstanceOf(WeightedRoundRobinBalancer.class);
    }

    @Test
    void interleavesAHeavyEndpointAsNginxDoes() {
        List<Endpoint> endpoints = TestEndpoint.weighted(5, 1, 1);
        Endpoint a = endpoints.get(0);
        Endpoint b = endpoints.get(1);
        Endpoint c = endpoints.get(2);

        List<Endpoint> picked = picks(new WeightedRoundRobinBalancer(), endpoints, 14);

        assertThat(picked).containsExactly(a, a, b, a, c, a, a, a, a, b, a, c, a, a);
    }

    @ParameterizedTest
    @ValueSource(ints = {WeightedRoundRobinBalancer.DEFAULT_MAX_SCHEDULE, 0})
    void givesEachEndpointExactlyItsWeightInEveryCycle(int maxSchedule) {
        int[] weights = {3, 2, 1, 4};
        List<Endpoint> endpoints = TestEndpoint.weighted(weights);
        Balancer balancer = new WeightedRoundRobinBalancer(maxSchedule);

        for (int cycle = 0; cycle < 5; cycle++) {
            Map<Endpoint, Integer> counts = count(picks(balancer, endpoints, 10));
            for (int i = 0; i < weights.length; i++) {
                assertThat(counts.get(endpoints.get(i))).as("picks of weight %d in cycle %d", weights[i], cycle)
                        .isEqualTo(weights[i]);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("weightsWithoutRepeats")
    void neverPicksTheSameEndpointTwiceInARowWhenTheWeightsAllow(int[] weights) {
        List<Endpoint> picked = picks(new WeightedRoundRobinBalancer(), TestEndpoint.weighted(weights), 500);

        for (int i = 1; i < picked.size(); i++) {
            assertThat(picked.get(i)).as("pick %d", i).isNotSameAs(picked.get(i - 1));
        }
    }

    static Stream<int[]> weightsWithoutRepeats() {
        return Stream.of(new int[] {1, 1, 1}, new int[] {2, 2, 1}, new int[] {3, 3, 2}, new int[] {4, 4, 3, 2, 1});
    }

    @Test
    void spreadsTheTurnsOfTheHeaviestEndpointThroughTheCycle() {
        // With a single heaviest endpoint, nginx's algorithm may repeat it where one cycle meets the
        // next, but never inside a cycle while its weight is at most the others' together.
        List<Endpoint> endpoints = TestEndpoint.weighted(4, 3, 2, 1);
        Balancer balancer = new WeightedRoundRobinBalancer();

        for (int cycle = 0; cycle < 20; cycle++) {
            List<Endpoint> picked = picks(balancer, endpoints, 10);
            for (int i = 1; i < picked.size(); i++) {
                assertThat(picked.get(i)).as("pick %d of cycle %d", i, cycle).isNotSameAs(picked.get(i - 1));
            }
        }
    }

    @Test
    void precomputedAndLiveSchedulesAgree() {
        // Weights too uneven to precompute run live; both must follow the same sequence.
        SplittableRandom random = new SplittableRandom(7);
        int[] weights = random.ints(12, 1, 40).toArray();
        List<Endpoint> endpoints = TestEndpoint.weighted(weights);

        assertThat(picks(new WeightedRoundRobinBalancer(0), endpoints, 2_000))
                .isEqualTo(picks(new WeightedRoundRobinBalancer(), endpoints, 2_000));
    }

    @Test
    void followsHugeWeightsLive() {
        List<Endpoint> endpoints = TestEndpoint.weighted(100_000, 1);

        Map<Endpoint, Integer> counts = count(picks(new WeightedRoundRobinBalancer(), endpoints, 100_001));

        assertThat(counts.get(endpoints.get(0))).isEqualTo(100_000);
        assertThat(counts.get(endpoints.get(1))).isEqualTo(1);
    }

    @Test
    void scalingAllWeightsChangesNothing() {
        assertThat(picks(new WeightedRoundRobinBalancer(), TestEndpoint.weighted(600, 400, 200), 60))
                .map(Endpoint::id)
                .isEqualTo(picks(new WeightedRoundRobinBalancer(), TestEndpoint.weighted(3, 2, 1), 60).stream()
                        .map(Endpoint::id).toList());
    }

    @Test
    void equalWeightsArePlainRoundRobin() {
        List<Endpoint> endpoints = TestEndpoint.list(3);

        assertThat(picks(new WeightedRoundRobinBalancer(), endpoints, 6))
                .containsExactly(endpoints.get(0), endpoints.get(1), endpoints.get(2),
                        endpoints.get(0), endpoints.get(1), endpoints.get(2));
    }

    @Test
    void followsTheNewWeightsWhenTheListChanges() {
        Balancer balancer = new WeightedRoundRobinBalancer();
        picks(balancer, TestEndpoint.weighted(1, 5), 4);

        List<Endpoint> changed = TestEndpoint.weighted(2, 1, 1);
        Map<Endpoint, Integer> counts = count(picks(balancer, changed, 400));

        assertThat(counts).containsOnlyKeys(changed);
        assertThat(counts.get(changed.get(0))).isEqualTo(200);
        assertThat(counts.get(changed.get(1))).isEqualTo(100);
        assertThat(counts.get(changed.get(2))).isEqualTo(100);
    }

    @ParameterizedTest
    @ValueSource(ints = {WeightedRoundRobinBalancer.DEFAULT_MAX_SCHEDULE, 0})
    void concurrentPicksKeepTheProportionsExact(int maxSchedule) throws Exception {
        int[] weights = {5, 3, 2};
        List<Endpoint> endpoints = TestEndpoint.weighted(weights);
        Balancer balancer = new WeightedRoundRobinBalancer(maxSchedule);
        int threads = 4;
        int picksPerThread = 25_000;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Endpoint>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return picks(balancer, endpoints, picksPerThread);
                }));
            }
            start.countDown();
            List<Endpoint> all = new ArrayList<>();
            for (Future<List<Endpoint>> result : results) {
                all.addAll(result.get(30, TimeUnit.SECONDS));
            }

            Map<Endpoint, Integer> counts = count(all);
            for (int i = 0; i < weights.length; i++) {
                assertThat(counts.get(endpoints.get(i))).isEqualTo(threads * picksPerThread / 10 * weights[i]);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
