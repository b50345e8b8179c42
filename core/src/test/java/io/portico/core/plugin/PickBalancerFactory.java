package io.portico.core.plugin;

import io.portico.api.balancer.Balancer;
import io.portico.api.balancer.BalancerFactory;
import io.portico.api.balancer.Endpoint;
import io.portico.api.balancer.SelectionContext;
import io.portico.api.config.ExtensionContext;
import java.util.List;
import org.pf4j.Extension;

/**
 * A balancer on the test classpath (found through its {@code META-INF/extensions.idx}) that always
 * picks the endpoint at a configured index, and remembers where it was created.
 */
@Extension
public final class PickBalancerFactory implements BalancerFactory<PickBalancerFactory.Config> {

    /** {@code index} must not be negative, and is required (checked in {@link #create}). */
    public record Config(Integer index) {
        public Config {
            if (index != null && index < 0) {
                throw new IllegalArgumentException("'index' must be at least 0, got " + index);
            }
        }
    }

    /** The balancer built, with the context it was built in. */
    public record PickBalancer(int index, ExtensionContext context) implements Balancer {
        @Override
        public Endpoint select(List<Endpoint> endpoints, SelectionContext selection) {
            return endpoints.get(index % endpoints.size());
        }
    }

    @Override
    public String name() {
        return "test-pick";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public Balancer create(Config config, ExtensionContext context) {
        if (config.index() == null) {
            throw new IllegalArgumentException("'index' is required");
        }
        return new PickBalancer(config.index(), context);
    }
}
