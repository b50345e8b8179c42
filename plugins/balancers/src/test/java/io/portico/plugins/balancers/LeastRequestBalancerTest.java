package io.portico.plugins.balancers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.portico.api.balancer.Balancer;
import io.portico.api.balancer.Endpoint;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LeastRequestBalancerTest {

    private static Map<Endpoint, Integer> count(Balancer balancer, List<Endpoint> endpoints, int picks) {
        Map<Endpoint, Integer> counts = new HashMap<>();
        for (int i = 0; i < picks; i++) {
            counts.merge(balancer.select(endpoints, null), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void isNamedLeastRequestAndDefaultsToTwoChoices() {
        var factory = new LeastRequestBalancerFactory();
        assertThat(factory.name()).isEqualTo("least-request");
        assertThat(factory.configType()).isEqualTo(LeastRequestConfig.class);
        assertThat(new LeastRequestConfig(null).choices()).isEqualTo(2);
        assertThat(factory.create(new LeastRequestConfig(null), Contexts.EXTENSION)).isInstanceOf(LeastRequestBalancer.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 0, -3})
    void rejectsFewerThanTwoChoices(int choices) {
        assertThatThrownBy(() -> new LeastRequestConfig(choices))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("choices must be at least 2, got " + choices);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 10})
    void neverPicksAnEndpointHoldingSlowRequestsWhileAnotherIsFree(int choices) {
        List<Endpoint> endpoints = TestEndpoint.list(6);
        ((TestEndpoint) endpoints.get(4)).active(8);

        Map<Endpoint, Integer> counts = count(new LeastRequestBalancer(choices, new SplittableRandom(3)), endpoints, 10_000);

        assertThat(counts).doesNotContainKey(endpoints.get(4)).hasSize(5);
        assertThat(counts.values()).allSatisfy(picks -> assertThat(picks).isCloseTo(2_000, within(200)));
    }

    @Test
    void spreadsRequestsEvenlyWhenAllAreIdle() {
        List<Endpoint> endpoints = TestEndpoint.list(5);

        Map<Endpoint, Integer> counts = count(new LeastRequestBalancer(2, new SplittableRandom(5)), endpoints, 50_000);

        assertThat(counts.values()).allSatisfy(picks -> assertThat(picks).isCloseTo(10_000, within(500)));
    }

    @Test
    void requestsInFlightFollowTheWeights() {
        // Requests that never finish: each pick adds to the load of the endpoint picked.
        List<Endpoint> endpoints = TestEndpoint.weighted(1, 1, 2, 4);
        Balancer balancer = new LeastRequestBalancer(2, new SplittableRandom(9));
        for (int i = 0; i < 8_000; i++) {
            TestEndpoint picked = (TestEndpoint) balancer.select(endpoints, null);
            picked.active(picked.activeRequests() + 1);
        }

        // Two random choices keep every endpoint's load within a few requests of the others'.
        assertThat(endpoints.get(0).activeRequests()).isCloseTo(1_000, within(30));
        assertThat(endpoints.get(1).activeRequests()).isCloseTo(1_000, within(30));
        assertThat(endpoints.get(2).activeRequests()).isCloseTo(2_000, within(60));
        assertThat(endpoints.get(3).activeRequests()).isCloseTo(4_000, within(120));
    }

    @Test
    void aSingleEndpointIsAlwaysPicked() {
        List<Endpoint> one = TestEndpoint.list(1);
        ((TestEndpoint) one.getFirst()).active(100);

        assertThat(new LeastRequestBalancer(2, new SplittableRandom(1)).select(one, null)).isSameAs(one.getFirst());
    }
}
