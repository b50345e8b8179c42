package io.portico.plugins.balancers;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.api.balancer.Balancer;
import io.portico.api.balancer.Endpoint;
import io.portico.api.config.ExtensionContext;
import io.portico.api.config.NoConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RoundRobinBalancerTest {

    private static final ExtensionContext CONTEXT = new ExtensionContext() {
        @Override
        public Path configDirectory() {
            return Path.of(".");
        }

        @Override
        public String configPath() {
            return "upstreams.api.balancer.round-robin";
        }
    };

    private final RoundRobinBalancerFactory factory = new RoundRobinBalancerFactory();

    private static List<Endpoint> endpoints(int count) {
        return IntStream.range(0, count).<Endpoint>mapToObj(i -> new TestEndpoint("10.0.0." + i, 8080)).toList();
    }

    private Balancer newBalancer() {
        return factory.create(NoConfig.INSTANCE, CONTEXT);
    }

    private static Map<Endpoint, Integer> count(Balancer balancer, List<Endpoint> endpoints, int picks) {
        Map<Endpoint, Integer> counts = new HashMap<>();
        for (int i = 0; i < picks; i++) {
            counts.merge(balancer.select(endpoints, null), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void isNamedRoundRobinAndTakesNoSettings() {
        assertThat(factory.name()).isEqualTo("round-robin");
        assertThat(factory.configType()).isEqualTo(NoConfig.class);
    }

    @Test
    void picksTheEndpointsInTurn() {
        List<Endpoint> endpoints = endpoints(3);
        Balancer balancer = newBalancer();

        List<Endpoint> picked = IntStream.range(0, 7).mapToObj(i -> balancer.select(endpoints, null)).toList();

        assertThat(picked).containsExactly(endpoints.get(0), endpoints.get(1), endpoints.get(2),
                endpoints.get(0), endpoints.get(1), endpoints.get(2), endpoints.get(0));
    }

    @Test
    void spreadsPicksExactlyEvenly() {
        List<Endpoint> endpoints = endpoints(3);

        assertThat(count(newBalancer(), endpoints, 3_000))
                .containsOnlyKeys(endpoints)
                .allSatisfy((endpoint, picks) -> assertThat(picks).isEqualTo(1_000));
    }

    @Test
    void eachUpstreamHasItsOwnRotation() {
        List<Endpoint> endpoints = endpoints(3);
        Balancer first = newBalancer();
        Balancer second = newBalancer();

        first.select(endpoints, null);

        assertThat(second.select(endpoints, null)).isEqualTo(endpoints.getFirst());
        assertThat(first.select(endpoints, null)).isEqualTo(endpoints.get(1));
    }

    @Test
    void keepsPickingValidEndpointsEvenlyWhenTheListShrinksOrGrows() {
        Balancer balancer = newBalancer();
        count(balancer, endpoints(5), 7);

        List<Endpoint> two = endpoints(2);
        assertThat(count(balancer, two, 100)).containsOnlyKeys(two)
                .allSatisfy((endpoint, picks) -> assertThat(picks).isEqualTo(50));

        List<Endpoint> four = endpoints(4);
        assertThat(count(balancer, four, 100)).containsOnlyKeys(four)
                .allSatisfy((endpoint, picks) -> assertThat(picks).isEqualTo(25));
    }

    @Test
    void concurrentPicksStayExactlyEvenInTotal() throws Exception {
        // Each pick takes its own count, so the totals are exact whatever the interleaving.
        List<Endpoint> endpoints = endpoints(3);
        Balancer balancer = newBalancer();
        int threads = 4;
        int picksPerThread = 30_000;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Map<Endpoint, Integer>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return count(balancer, endpoints, picksPerThread);
                }));
            }
            start.countDown();

            Map<Endpoint, Integer> total = new HashMap<>();
            for (Future<Map<Endpoint, Integer>> result : results) {
                result.get(30, TimeUnit.SECONDS).forEach((endpoint, picks) -> total.merge(endpoint, picks, Integer::sum));
            }
            assertThat(total).containsOnlyKeys(endpoints)
                    .allSatisfy((endpoint, picks) -> assertThat(picks).isEqualTo(threads * picksPerThread / 3));
        } finally {
            pool.shutdownNow();
        }
    }

    private record TestEndpoint(String host, int port) implements Endpoint {
        @Override
        public String id() {
            return host + ":" + port;
        }

        @Override
        public int weight() {
            return 1;
        }

        @Override
        public int activeRequests() {
            return 0;
        }
    }
}
