package io.portico.plugins.balancers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.portico.api.balancer.Balancer;
import io.portico.api.balancer.Endpoint;
import io.portico.api.config.NoConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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
}
