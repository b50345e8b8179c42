package io.portico.core.upstream;

import io.portico.api.balancer.Balancer;
import io.portico.api.balancer.BalancerFactory;
import io.portico.api.balancer.Endpoint;
import io.portico.api.balancer.SelectionContext;
import io.portico.api.config.ExtensionContext;
import io.portico.api.config.NoConfig;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.pf4j.Extension;

/**
 * A test-only balancer, {@code test-throwing-callbacks}, with a defect: it picks the first endpoint
 * offered, and counts then throws from {@link Balancer#onRequestStarted} and {@link
 * Balancer#onRequestEnded}.
 */
@Extension
public final class ThrowingCallbacksBalancerFactory implements BalancerFactory<NoConfig> {

    /** Picks the first endpoint; throws from the callbacks after counting them. */
    public static final class Throwing implements Balancer {
        private final AtomicInteger starts = new AtomicInteger();
        private final AtomicInteger ends = new AtomicInteger();

        @Override
        public Endpoint select(List<Endpoint> endpoints, SelectionContext context) {
            return endpoints.getFirst();
        }

        @Override
        public void onRequestStarted(Endpoint endpoint) {
            starts.incrementAndGet();
            throw new IllegalStateException("start of " + endpoint + " not counted");
        }

        @Override
        public void onRequestEnded(Endpoint endpoint) {
            ends.incrementAndGet();
            throw new IllegalStateException("end of " + endpoint + " not counted");
        }

        /** How many starts it heard. */
        public int starts() {
            return starts.get();
        }

        /** How many ends it heard. */
        public int ends() {
            return ends.get();
        }
    }

    @Override
    public String name() {
        return "test-throwing-callbacks";
    }

    @Override
    public Class<NoConfig> configType() {
        return NoConfig.class;
    }

    @Override
    public Balancer create(NoConfig config, ExtensionContext context) {
        return new Throwing();
    }
}
