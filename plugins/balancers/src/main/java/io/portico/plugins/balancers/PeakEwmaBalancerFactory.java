package io.portico.plugins.balancers;

import io.portico.api.balancer.Balancer;
import io.portico.api.balancer.BalancerFactory;
import io.portico.api.config.ExtensionContext;
import org.pf4j.Extension;

/**
 * The {@code peak-ewma} balancer: latency-aware balancing after Finagle's and Linkerd's. For each
 * request it draws two endpoints at random and picks the cheaper, where cost is the endpoint's
 * recent latency times its requests in flight plus one, divided by its weight.
 *
 * <pre>{@code
 * upstreams:
 *   search:
 *     balancer: {peak-ewma: {decay-time: 10s}}
 *     endpoints: [10.0.0.61:9200, 10.0.0.62:9200, 10.0.0.63:9200]
 * }</pre>
 *
 * <p>Recent latency is an average that jumps up at once on a slow response and comes down
 * gradually, forgetting the past over {@code decay-time}. Suits endpoints whose speed differs or
 * changes (shared machines, garbage collection pauses, cold caches): traffic moves away from an
 * endpoint as soon as it slows, and comes back as it recovers. Settings: {@link PeakEwmaConfig}.
 */
@Extension
public final class PeakEwmaBalancerFactory implements BalancerFactory<PeakEwmaConfig> {

    @Override
    public String name() {
        return "peak-ewma";
    }

    @Override
    public Class<PeakEwmaConfig> configType() {
        return PeakEwmaConfig.class;
    }

    @Override
    public Balancer create(PeakEwmaConfig config, ExtensionContext context) {
        return new PeakEwmaBalancer(config.decayTime(), PerThreadRandom.INSTANCE, System::nanoTime);
    }
}
