package io.portico.plugins.balancers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.portico.api.balancer.Balancer;
import io.portico.api.balancer.Endpoint;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RingHashBalancerTest {

    private static final int N = 10;
    private static final int KEYS = 10_000;

    private final RingHashBalancerFactory factory = new RingHashBalancerFactory();

    private Balancer byUser() {
        return factory.create(new RingHashConfig(HashKey.HEADER, KeyMapping.HEADER, null), Contexts.EXTENSION);
    }

    @Test
    void isNamedRingHashWithDefaults() {
        assertThat(factory.name()).isEqualTo("ring-hash");
        assertThat(factory.configType()).isEqualTo(RingHashConfig.class);
        assertThat(new RingHashConfig(null, null, null))
                .isEqualTo(new RingHashConfig(HashKey.CLIENT_ADDRESS, null, 1024));
    }

    @Test
    void rejectsARingSizeOutOfRange() {
        assertThatThrownBy(() -> new RingHashConfig(null, null, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("min-ring-size must be from 1 to 8388608, got 0");
        assertThatThrownBy(() -> new RingHashConfig(null, null, HashRing.MAX_SIZE + 1))
                .hasMessageStartingWith("min-ring-size must be from 1 to 8388608");
    }

    @Test
    void rejectsAMissingOrNeedlessName() {
        assertThatThrownBy(() -> new RingHashConfig(HashKey.HEADER, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("name is required when key is header: the header to hash");
        assertThatThrownBy(() -> new RingHashConfig(HashKey.PATH, "x", null))
                .hasMessage("name applies only when key is header, cookie or query, but key is path");
    }

    @Test
    void sendsTheSameKeyToTheSameEndpointEveryTimeAndInEveryInstance() {
        List<Endpoint> endpoints = TestEndpoint.list(N);
        List<String> first = KeyMapping.of(byUser(), endpoints, KEYS);

        assertThat(KeyMapping.of(byUser(), endpoints, KEYS)).isEqualTo(first);
        assertThat(KeyMapping.of(byUser(), TestEndpoint.list(N), KEYS)).isEqualTo(first);
        assertThat(KeyMapping.counts(first)).hasSize(N);
    }

    @Test
    void whenAnEndpointLeavesOnlyItsKeysMoveAndTheyComeBackWithIt() {
        List<Endpoint> endpoints = TestEndpoint.list(N);
        Balancer balancer = byUser();
        List<String> before = KeyMapping.of(balancer, endpoints, KEYS);
        String leaving = endpoints.get(3).id();

        List<String> during = KeyMapping.of(balancer, KeyMapping.without(endpoints, 3), KEYS);

        int moved = 0;
        for (int key = 0; key < KEYS; key++) {
            if (before.get(key).equals(leaving)) {
                moved++;
                assertThat(during.get(key)).isNotEqualTo(leaving);
            } else {
                assertThat(during.get(key)).as("key %d", key).isEqualTo(before.get(key));
            }
        }
        assertThat((double) moved / KEYS).isBetween(0.5 / N, 1.6 / N);

        assertThat(KeyMapping.of(balancer, List.copyOf(endpoints), KEYS)).isEqualTo(before);
    }

    @Test
    void givesEndpointsKeysInProportionToTheirWeights() {
        List<Endpoint> endpoints = TestEndpoint.weighted(1, 3);

        Map<String, Integer> counts = KeyMapping.counts(KeyMapping.of(byUser(), endpoints, 20_000));

        assertThat(counts.get(endpoints.get(0).id()) / 20_000.0).isCloseTo(0.25, within(0.04));
    }

    @Test
    void placesPointsInProportionToWeightsAndAtLeastTheMinimum() {
        assertThat(ringSize(1024, TestEndpoint.list(3))).isEqualTo(1026);
        assertThat(ringSize(1024, TestEndpoint.weighted(1, 3))).isEqualTo(1024);
        assertThat(ringSize(1024, TestEndpoint.weighted(1000, 3000))).isEqualTo(4000);
        // Weights beyond the limit are scaled down, the lightest endpoint keeping one point.
        assertThat(ringSize(1024, TestEndpoint.weighted(Integer.MAX_VALUE, 1))).isBetween(HashRing.MAX_SIZE - 1, HashRing.MAX_SIZE + 1);
    }

    @Test
    void keepsThePointsOfEachEndpointWhileOthersComeAndGo() {
        HashRing.Builder builder = new HashRing.Builder(1024);
        assertThat(((HashRing) builder.apply(TestEndpoint.list(10))).size()).isEqualTo(1030);
        assertThat(((HashRing) builder.apply(TestEndpoint.list(9))).size()).isEqualTo(927);
        assertThat(((HashRing) builder.apply(TestEndpoint.list(20))).size()).isEqualTo(2060);
        // Until the ring would outgrow its limit.
        assertThat(((HashRing) builder.apply(TestEndpoint.weighted(100_000, 100_000))).size())
                .isLessThanOrEqualTo(HashRing.MAX_SIZE);
    }

    private static int ringSize(int minSize, List<Endpoint> endpoints) {
        return ((HashRing) new HashRing.Builder(minSize).apply(endpoints)).size();
    }

    @Test
    void spreadsRequestsWithoutTheKeyByWeight() {
        List<Endpoint> endpoints = TestEndpoint.weighted(1, 3);
        Balancer balancer = new ConsistentHashBalancer(new RequestKey(HashKey.HEADER, KeyMapping.HEADER),
                new HashRing.Builder(1024), new SplittableRandom(2));

        long first = IntStream.range(0, 20_000)
                .filter(i -> balancer.select(endpoints, TestRequest.get("/")) == endpoints.getFirst()).count();

        assertThat(first / 20_000.0).isCloseTo(0.25, within(0.04));
    }

    @Test
    void sendsARetryOfferedOtherEndpointsToOneOfThem() {
        List<Endpoint> endpoints = TestEndpoint.list(N);
        Balancer balancer = byUser();
        List<String> before = KeyMapping.of(balancer, endpoints, 100);
        List<Endpoint> rest = KeyMapping.without(endpoints, 0);

        for (int i = 0; i < 100; i++) {
            TestRequest retry = TestRequest.get("/").header(KeyMapping.HEADER, "user-" + i).attempt(1);
            assertThat(rest).contains(balancer.select(rest, retry));
        }
        assertThat(KeyMapping.of(balancer, endpoints, 100)).isEqualTo(before);
    }
}
