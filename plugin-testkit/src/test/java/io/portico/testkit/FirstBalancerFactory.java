package io.portico.testkit;

import io.portico.api.balancer.Balancer;
import io.portico.api.balancer.BalancerFactory;
import io.portico.api.config.ExtensionContext;
import io.portico.api.config.NoConfig;
import org.pf4j.Extension;

/** The balancer of the test configurations: the core has none of its own, they come in plugins. */
@Extension
public final class FirstBalancerFactory implements BalancerFactory<NoConfig> {

    @Override
    public String name() {
        return "first";
    }

    @Override
    public Class<NoConfig> configType() {
        return NoConfig.class;
    }

    @Override
    public Balancer create(NoConfig config, ExtensionContext context) {
        return (endpoints, selection) -> endpoints.getFirst();
    }
}
