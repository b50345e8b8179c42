package io.portico.plugins.balancers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portico.api.balancer.Balancer;
import io.portico.api.balancer.Endpoint;
import io.portico.api.balancer.RequestResult;
import io.portico.api.balancer.RequestResult.Outcome;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PeakEwmaBalancerTest {

    private static final Duration DECAY = Duration.ofSeconds(10);

    private long now = TimeUnit.HOURS.toNanos(1);
    private final Balancer balancer = new PeakEwmaBalancer(DECAY, new SplittableRandom(17), () -> now);

    private void report(Endpoint endpoint, long latencyMillis) {
        balancer.onResult(endpoint, new RequestResult(Outcome.RESPONDED, 200, TimeUnit.MILLISECONDS.toNanos(latencyMillis)));
    }

    private Map<Endpoint, Integer> count(List<Endpoint> endpoints, int picks) {
        Map<Endpoint, Integer> counts = new HashMap<>();
        for (int i = 0; i < picks; i++) {
            counts.merge(balancer.select(endpoints, null), 1, Integer::sum);
        }
        return counts;
    }

    private void advance(Duration time) {
        now += time.toNanos();
    }

    @Test
    void isNamedPeakEwmaWithATenSecondDecay() {
        var factory = new PeakEwmaBalancerFactory();
        assertThat(factory.name()).isEqualTo("peak-ewma");
        assertThat(factory.configType()).isEqualTo(PeakEwmaConfig.class);
        assertThat(new PeakEwmaConfig(null).decayTime()).isEqualTo(DECAY);
        assertThat(factory.create(new PeakEwmaConfig(null), Contexts.EXTENSION)).isInstanceOf(PeakEwmaBalancer.class);
    }

    @Test
    void rejectsADecayTimeThatIsNotPositive() {
        assertThatThrownBy(() -> new PeakEwmaConfig(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("decay-time must be positive, such as 10s, got PT0S");
    }

    @Test
    void prefersTheEndpointWithLowerObservedLatency() {
        List<Endpoint> endpoints = TestEndpoint.list(3);
        for (int i = 0; i < 20; i++) {
            report(endpoints.get(0), 5);
            report(endpoints.get(1), 80);
            report(endpoints.get(2), 20);
            advance(Duration.ofMillis(100));
        }

        Map<Endpoint, Integer> counts = count(endpoints, 3_000);

        // Two distinct choices: the slowest never wins, the fastest wins whenever it is drawn.
        assertThat(counts).doesNotContainKey(endpoints.get(1));
        assertThat(counts.get(endpoints.get(0))).isGreaterThan(1_900);
    }

    @Test
    void reactsToTheFirstSlowResponseAndForgetsItWithTime() {
        List<Endpoint> endpoints = TestEndpoint.list(2);
        Endpoint a = endpoints.get(0);
        Endpoint b = endpoints.get(1);
        for (int i = 0; i < 20; i++) {
            report(a, 10);
            report(b, 12);
            advance(Duration.ofMillis(100));
        }
        assertThat(count(endpoints, 100)).containsOnlyKeys(a);

        report(a, 300);
        assertThat(count(endpoints, 100)).as("right after a peak").containsOnlyKeys(b);

        // Fast responses pull the average back down as the peak decays.
        for (int i = 0; i < 60; i++) {
            advance(Duration.ofSeconds(1));
            report(a, 10);
            report(b, 12);
        }
        assertThat(count(endpoints, 100)).as("once the peak has decayed").containsOnlyKeys(a);
    }

    @Test
    void weighsLatencyByRequestsInFlight() {
        List<Endpoint> endpoints = TestEndpoint.list(2);
        report(endpoints.get(0), 10);
        report(endpoints.get(1), 25);
        ((TestEndpoint) endpoints.get(0)).active(3);

        // 10ms * (3 + 1) = 40 against 25ms * 1 = 25.
        assertThat(balancer.select(endpoints, null)).isSameAs(endpoints.get(1));
    }

    @Test
    void probesAnEndpointWithoutHistoryOneRequestAtATime() {
        List<Endpoint> endpoints = TestEndpoint.list(2);
        report(endpoints.get(0), 50);

        assertThat(balancer.select(endpoints, null)).as("idle and unknown").isSameAs(endpoints.get(1));

        ((TestEndpoint) endpoints.get(1)).active(1);
        assertThat(balancer.select(endpoints, null)).as("busy and unknown").isSameAs(endpoints.getFirst());
    }

    @Test
    void keepsWhatItLearnedWhenTheListChanges() {
        List<Endpoint> endpoints = TestEndpoint.list(3);
        report(endpoints.get(0), 50);
        report(endpoints.get(1), 5);
        report(endpoints.get(2), 20);
        count(endpoints, 10);

        List<Endpoint> fewer = List.of(endpoints.get(0), endpoints.get(1));
        assertThat(count(fewer, 100)).containsOnlyKeys(endpoints.get(1));
    }
}
