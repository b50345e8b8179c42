package io.portico.core.test;

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
 * A test-only balancer, {@code sequential}, found on the test classpath: the core's own tests
 * cannot use the balancer plugins (which are built after the core), and the core knows no balancer
 * by name.
 */
@Extension
public final class SequentialBalancerFactory implements BalancerFactory<NoConfig> {

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
        AtomicInteger next = new AtomicInteger();
        return (List<Endpoint> endpoints, SelectionContext ctx) ->
                endpoints.get(Math.floorMod(next.getAndIncrement(), endpoints.size()));
    }
}
