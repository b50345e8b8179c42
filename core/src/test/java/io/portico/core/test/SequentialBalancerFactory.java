package io.portico.core.test;

import io.portico.api.balancer.Balancer;
import io.portico.api.balancer.BalancerFactory;
import io.portico.api.balancer.Endpoint;
import io.portico.api.balancer.RequestResult;
import io.portico.api.balancer.SelectionContext;
import io.portico.api.config.ExtensionContext;
import io.portico.api.config.NoConfig;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.pf4j.Extension;

/**
 * A test-only balancer, {@code sequential}, found on the test classpath: the core's own tests
 * cannot use the balancer plugins (which are built after the core), and the core knows no balancer
 * by name. It takes the endpoints offered in turn, and records every result it hears; tests reach
 * it through {@code portico.runtime().upstreams().get(name).balancer()}.
 */
@Extension
public final class SequentialBalancerFactory implements BalancerFactory<NoConfig> {

    /** Picks the offered endpoints in turn, one counter for all requests. */
    public static final class Sequential implements Balancer {
        private final AtomicInteger next = new AtomicInteger();
        private final Queue<String> results = new ConcurrentLinkedQueue<>();

        @Override
        public Endpoint select(List<Endpoint> endpoints, SelectionContext context) {
            return endpoints.get(Math.floorMod(next.getAndIncrement(), endpoints.size()));
        }

        @Override
        public void onResult(Endpoint endpoint, RequestResult result) {
            results.add(endpoint.id() + " " + result.outcome() + (result.status() == 0 ? "" : " " + result.status()));
        }

        /** Every result heard, oldest first, as {@code "127.0.0.1:8080 RESPONDED 200"} or {@code "... CONNECT_FAILED"}. */
        public List<String> results() {
            return List.copyOf(results);
        }
    }

    @Override
    public String name() {
        return "sequential";
    }

    @Override
    public Class<NoConfig> configType() {
        return NoConfig.class;
    }

    @Override
    public Balancer create(NoConfig config, ExtensionContext context) {
        return new Sequential();
    }
}
