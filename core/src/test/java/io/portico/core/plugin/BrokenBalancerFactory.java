package io.portico.core.plugin;

import io.portico.api.balancer.Balancer;
import io.portico.api.balancer.BalancerFactory;
import io.portico.api.config.ExtensionContext;
import io.portico.api.config.NoConfig;
import org.pf4j.Extension;

/** A balancer on the test classpath whose factory has a defect: it always throws. */
@Extension
public final class BrokenBalancerFactory implements BalancerFactory<NoConfig> {

    @Override
    public String name() {
        return "test-broken";
    }

    @Override
    public Class<NoConfig> configType() {
        return NoConfig.class;
    }

    @Override
    public Balancer create(NoConfig config, ExtensionContext context) {
        throw new IllegalStateException("boom");
    }
}
