package com.example.portico.balancer;

import io.portico.api.balancer.Balancer;
import io.portico.api.balancer.BalancerFactory;
import io.portico.api.balancer.Endpoint;
import io.portico.api.balancer.SelectionContext;
import io.portico.api.config.ExtensionContext;
import java.util.List;
import org.pf4j.Extension;

/**
 * The balancer {@code primary-backup}: sends everything to the first endpoint listed, and to the
 * next ones only when it is busy or on a retry.
 *
 * <pre>{@code
 * upstreams:
 *   app:
 *     balancer: {primary-backup: {max-active: 200}}
 *     endpoints: [10.0.0.1:8080, 10.0.0.2:8080]   # primary, then backups in order
 * }</pre>
 *
 * <p>A request goes to the first endpoint, in the listed order, with fewer than {@code max-active}
 * requests in flight (default 100); when all are that busy, to the least busy. Retry N starts the
 * search N endpoints further down the list, so a retry goes to a backup.
 */
@Extension
public final class PrimaryBackupBalancerFactory implements BalancerFactory<PrimaryBackupBalancerFactory.Settings> {

    /**
     * The balancer's settings.
     *
     * @param maxActive how many requests in flight make an endpoint too busy to take one more
     */
    public record Settings(Integer maxActive) {

        /** Applies the default and checks the limit is positive. */
        public Settings {
            maxActive = maxActive == null ? 100 : maxActive;
            if (maxActive < 1) {
                throw new IllegalArgumentException("expected max-active of at least 1, got " + maxActive);
            }
        }
    }

    @Override
    public String name() {
        return "primary-backup";
    }

    @Override
    public Class<Settings> configType() {
        return Settings.class;
    }

    @Override
    public Balancer create(Settings settings, ExtensionContext context) {
        return new PrimaryBackup(settings.maxActive());
    }

    /** The balancer; stateless, so one serves every event loop. */
    static final class PrimaryBackup implements Balancer {

        private final int maxActive;

        PrimaryBackup(int maxActive) {
            this.maxActive = maxActive;
        }

        @Override
        public Endpoint select(List<Endpoint> endpoints, SelectionContext context) {
            int size = endpoints.size();
            int start = context.attempt() % size;
            Endpoint leastBusy = null;
            for (int i = 0; i < size; i++) {
                Endpoint endpoint = endpoints.get((start + i) % size);
                if (endpoint.activeRequests() < maxActive) {
                    return endpoint;
                }
                if (leastBusy == null || endpoint.activeRequests() < leastBusy.activeRequests()) {
                    leastBusy = endpoint;
                }
            }
            return leastBusy;
        }
    }
}
