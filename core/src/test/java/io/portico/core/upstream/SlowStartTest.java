package io.portico.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.portico.api.balancer.Balancer;
import io.portico.api.balancer.Endpoint;
import io.portico.api.balancer.SelectionContext;
import io.portico.core.config.EndpointConfig;
import io.portico.core.config.HostPort;
import io.portico.core.config.UpstreamConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The share of requests an endpoint takes while it ramps up, over many picks. */
class SlowStartTest {

    private static final long SECOND = 1_000_000_000L;
    private static final int PICKS = 100_000;

    private final UpstreamEndpoint ramping = endpoint(10_001);
    private final UpstreamEndpoint settled = endpoint(10_002);
    private final List<Endpoint> both = List.of(ramping, settled);

    private static UpstreamEndpoint endpoint(int port) {
        return new UpstreamEndpoint(new HostPort("127.0.0.1", port), 1, new InetSocketAddress("127.0.0.1", port), false);
    }

    /**
     * A balancer picking at random: each endpoint would get half of the requests. (A stateful
     * balancer such as round robin also moves on when it is asked again, which gives a ramping
     * endpoint p / (1 + p) of the requests rather than p / 2: still a ramp from 9% to 50%.)
     */
    private static Balancer random() {
        SplittableRandom random = new SplittableRandom(1);
        return (List<Endpoint> endpoints, SelectionContext ctx) -> endpoints.get(random.nextInt(endpoints.size()));
    }

    private double shareOfRamping(SlowStart slowStart, long now) {
        Balancer balancer = random();
        int toRamping = 0;
        for (int i = 0; i < PICKS; i++) {
            if (slowStart.select(balancer, both, null, now) == ramping) {
                toRamping++;
            }
        }
        return (double) toRamping / PICKS;
    }

    @Test
    void aComebackRampsLinearlyFromATenthToItsFullShare() {
        long t0 = System.nanoTime();
        ramping.ejectUntil(t0);                 // came back at t0
        settled.ejectUntil(t0 - 100 * SECOND);  // long available
        SlowStart slowStart = new SlowStart(Duration.ofSeconds(10), new SplittableRandom(42)::nextDouble);

        assertThat(slowStart.share(ramping, t0)).isEqualTo(0.1);
        assertThat(slowStart.share(ramping, t0 + 3 * SECOND)).isEqualTo(0.3, within(1e-9));
        assertThat(slowStart.share(ramping, t0 + 10 * SECOND)).isEqualTo(1.0);
        assertThat(slowStart.share(settled, t0)).isEqualTo(1.0);

        // half of the picks land on it; of those, it keeps its share
        assertThat(shareOfRamping(slowStart, t0)).isEqualTo(0.05, within(0.005));
        assertThat(shareOfRamping(slowStart, t0 + 3 * SECOND)).isEqualTo(0.15, within(0.005));
        assertThat(shareOfRamping(slowStart, t0 + 8 * SECOND)).isEqualTo(0.40, within(0.005));
        assertThat(shareOfRamping(slowStart, t0 + 10 * SECOND)).isEqualTo(0.50, within(0.005));
    }

    @Test
    void whenEveryEndpointRampsRequestsStillFindOneAndShareEvenly() {
        long t0 = System.nanoTime();
        ramping.ejectUntil(t0);
        settled.ejectUntil(t0);
        SlowStart slowStart = new SlowStart(Duration.ofSeconds(10), new SplittableRandom(42)::nextDouble);
        assertThat(shareOfRamping(slowStart, t0 + SECOND)).isEqualTo(0.5, within(0.01));
    }

    @Test
    void upstreamSelectAppliesSlowStartWhateverTheBalancer() {
        List<EndpointConfig> configs = List.of(new EndpointConfig(new HostPort("127.0.0.1", 10_001), 1),
                new EndpointConfig(new HostPort("127.0.0.1", 10_002), 1));
        UpstreamConfig config = new UpstreamConfig(null, configs, null, null, null, null, null, null, null, null, null,
                Duration.ofHours(1), null, null);
        Upstream upstream = new Upstream("app", List.of(ramping, settled), random(), config, PassiveHealth.NONE);
        long now = System.nanoTime();
        ramping.ejectUntil(now);
        settled.ejectUntil(now - 2 * 3600 * SECOND);
        upstream.healthChanged();

        int toRamping = 0;
        for (int i = 0; i < 20_000; i++) {
            if (upstream.select(null) == ramping) {
                toRamping++;
            }
        }
        // 1h window, a few milliseconds in: the share is the 10% floor, half of the picks land on it
        assertThat(toRamping).isBetween(700, 1_300);
        assertThat(upstream.slowStartShare(ramping, System.nanoTime())).isEqualTo(0.1);
        assertThat(upstream.slowStartShare(settled, System.nanoTime())).isEqualTo(1.0);
    }
}
