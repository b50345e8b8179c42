package io.portico.plugins.balancers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import io.portico.api.balancer.Balancer;
import io.portico.api.balancer.Endpoint;
import io.portico.api.config.NoConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WeightedRandomBalancerTest {

    private static final int PICKS = 100_000;

    private static Map<Endpoint, Integer> count(Balancer balancer, List<Endpoint> endpoints) {
        Map<Endpoint, Integer> counts = new HashMap<>();
        for (int i = 0; i < PICKS; i++) {
            counts.merge(balancer.select(endpoints, null), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void isNamedRandom() {
        var factory = new RandomBalancerFactory();
        assertThat(factory.name()).isEqualTo("random");
        assertThat(factory.configType()).isEqualTo(NoConfig.class);
        assertThat(factory.create(NoConfig.INSTANCE, Contexts.EXTENSION)).isInstanceOf(WeightedRandomBalancer.class);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void sharesMatchTheWeightsWithinThreePercent(long seed) {
        int[] weights = {1, 2, 3, 4, 10};
        List<Endpoint> endpoints = TestEndpoint.weighted(weights);

        Map<Endpoint, Integer> counts = count(new WeightedRandomBalancer(new SplittableRandom(seed)), endpoints);

        for (int i = 0; i < weights.length; i++) {
            double expected = PICKS * weights[i] / 20.0;
            assertThat((double) counts.get(endpoints.get(i))).as("weight %d", weights[i])
                    .isCloseTo(expected, withinPercentage(3));
        }
    }

    @Test
    void equalWeightsShareEvenly() {
        List<Endpoint> endpoints = TestEndpoint.list(4);

        Map<Endpoint, Integer> counts = count(new WeightedRandomBalancer(new SplittableRandom(4)), endpoints);

        assertThat(counts.values()).allSatisfy(picks -> assertThat((double) picks).isCloseTo(25_000, withinPercentage(3)));
    }

    @Test
    void aTinyWeightBesideAHugeOneStillGetsItsShare() {
        List<Endpoint> endpoints = TestEndpoint.weighted(1, 999);

        Map<Endpoint, Integer> counts = count(new WeightedRandomBalancer(new SplittableRandom(6)), endpoints);

        // 100 expected; a Poisson count of mean 100 lies in [60, 140] all but once in a million.
        assertThat(counts.get(endpoints.getFirst())).isBetween(60, 140);
    }

    @Test
    void followsTheNewWeightsWhenTheListChanges() {
        Balancer balancer = new WeightedRandomBalancer(new SplittableRandom(8));
        count(balancer, TestEndpoint.weighted(9, 1));

        List<Endpoint> changed = TestEndpoint.weighted(1, 1, 2);
        Map<Endpoint, Integer> counts = count(balancer, changed);

        assertThat(counts).containsOnlyKeys(changed);
        assertThat((double) counts.get(changed.get(2))).isCloseTo(PICKS / 2.0, withinPercentage(3));
    }

    @Test
    void neverPicksOutsideTheList() {
        List<Endpoint> endpoints = TestEndpoint.weighted(IntStream.rangeClosed(1, 37).toArray());

        assertThat(count(new WeightedRandomBalancer(new SplittableRandom(10)), endpoints)).containsOnlyKeys(endpoints);
    }
}
