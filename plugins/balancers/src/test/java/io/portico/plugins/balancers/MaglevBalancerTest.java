package io.portico.plugins.balancers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.portico.api.balancer.Balancer;
import io.portico.api.balancer.Endpoint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MaglevBalancerTest {

    private static final int N = 10;
    private static final int KEYS = 10_000;

    private final MaglevBalancerFactory factory = new MaglevBalancerFactory();

    private Balancer byUser() {
        return factory.create(new MaglevConfig(HashKey.HEADER, KeyMapping.HEADER, null), Contexts.EXTENSION);
    }

    @Test
    void isNamedMaglevWithDefaults() {
        assertThat(factory.name()).isEqualTo("maglev");
        assertThat(factory.configType()).isEqualTo(MaglevConfig.class);
        assertThat(new MaglevConfig(null, null, null)).isEqualTo(new MaglevConfig(HashKey.CLIENT_ADDRESS, null, 65537));
    }

    @ParameterizedTest
    @ValueSource(ints = {65536, 1, 0, -7, 5_000_101})
    void rejectsATableSizeThatIsNotAPrimeInRange(int size) {
        assertThatThrownBy(() -> new MaglevConfig(null, null, size))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("table-size must be a prime number up to 5000011, such as 65537 or 655373, got " + size);
    }

    @Test
    void acceptsOtherPrimes() {
        assertThat(new MaglevConfig(null, null, 655373).tableSize()).isEqualTo(655373);
        assertThat(new MaglevConfig(HashKey.QUERY, "user", 251).name()).isEqualTo("user");
    }

    @Test
    void rejectsAMissingName() {
        assertThatThrownBy(() -> new MaglevConfig(HashKey.COOKIE, " ", null))
                .hasMessage("name is required when key is cookie: the cookie to hash");
    }

    @Test
    void sendsTheSameKeyToTheSameEndpointEveryTimeAndInEveryInstance() {
        List<Endpoint> endpoints = TestEndpoint.list(N);
        List<String> first = KeyMapping.of(byUser(), endpoints, KEYS);

        assertThat(KeyMapping.of(byUser(), endpoints, KEYS)).isEqualTo(first);
        assertThat(KeyMapping.counts(first)).hasSize(N);
    }

    @Test
    void theMappingDependsOnTheSetOfEndpointsNotTheirOrder() {
        List<Endpoint> endpoints = TestEndpoint.list(N);
        List<Endpoint> reversed = new ArrayList<>(endpoints);
        Collections.reverse(reversed);

        assertThat(KeyMapping.of(byUser(), List.copyOf(reversed), KEYS)).isEqualTo(KeyMapping.of(byUser(), endpoints, KEYS));
    }

    @Test
    void whenAnEndpointLeavesLittleMoreThanItsKeysMoveAndTheyComeBackWithIt() {
        List<Endpoint> endpoints = TestEndpoint.list(N);
        Balancer balancer = byUser();
        List<String> before = KeyMapping.of(balancer, endpoints, KEYS);
        String leaving = endpoints.get(3).id();

        List<String> during = KeyMapping.of(balancer, KeyMapping.without(endpoints, 3), KEYS);

        int moved = 0;
        int orphaned = 0;
        for (int key = 0; key < KEYS; key++) {
            if (before.get(key).equals(leaving)) {
                orphaned++;
            }
            if (!during.get(key).equals(before.get(key))) {
                moved++;
            }
        }
        assertThat(during).doesNotContain(leaving);
        assertThat((double) orphaned / KEYS).isCloseTo(1.0 / N, within(0.01));
        // Maglev trades a little extra movement for balance: at most 1/N and one percentage point.
        assertThat((double) moved / KEYS).isLessThanOrEqualTo(1.0 / N + 0.01);

        assertThat(KeyMapping.of(balancer, List.copyOf(endpoints), KEYS)).isEqualTo(before);
    }

    @Test
    void givesEndpointsKeysInProportionToTheirWeights() {
        List<Endpoint> endpoints = TestEndpoint.weighted(1, 3, 2, 2);

        Map<String, Integer> counts = KeyMapping.counts(KeyMapping.of(byUser(), endpoints, 40_000));

        assertThat(counts.get(endpoints.get(0).id()) / 40_000.0).isCloseTo(0.125, within(0.01));
        assertThat(counts.get(endpoints.get(1).id()) / 40_000.0).isCloseTo(0.375, within(0.015));
    }

    @Test
    void spreadsRequestsWithoutTheKeyByWeight() {
        List<Endpoint> endpoints = TestEndpoint.weighted(1, 3);
        Balancer balancer = new ConsistentHashBalancer(new RequestKey(HashKey.HEADER, KeyMapping.HEADER),
                list -> MaglevTable.of(list, 65537), new SplittableRandom(2));

        long first = IntStream.range(0, 20_000)
                .filter(i -> balancer.select(endpoints, TestRequest.get("/")) == endpoints.getFirst()).count();

        assertThat(first / 20_000.0).isCloseTo(0.25, within(0.015));
    }
}
