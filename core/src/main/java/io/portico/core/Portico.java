package io.portico.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.portico.core.config.ConfigMapper;
import io.portico.core.config.PorticoConfig;
import io.portico.core.dns.DnsEndpoints;
import io.portico.core.plugin.ExtensionRegistry;
import io.portico.core.plugin.PluginHost;
import io.portico.core.runtime.ProxyRuntime;
import io.portico.core.runtime.RuntimeBuilder;
import io.portico.core.server.PorticoServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Portico assembled from a configuration: its plugins loaded, its runtime compiled and its server
 * listening. This is what {@link Main} runs, and what tests and embedders start in-process.
 *
 * <pre>{@code
 * PorticoConfig config = ConfigLoader.load(Path.of("conf/portico.yaml"));
 * try (Portico portico = Portico.start(config, Path.of("conf/portico.yaml"))) {
 *     ...
 * }
 * }</pre>
 */
public final class Portico implements AutoCloseable {

    private final PluginHost plugins;
    private final PorticoServer server;
    private final DnsEndpoints dns;

    private Portico(PluginHost plugins, PorticoServer server, DnsEndpoints dns) {
        this.plugins = plugins;
        this.server = server;
        this.dns = dns;
    }

    /**
     * Loads the plugins the configuration points at, compiles it and starts listening.
     *
     * @param file the configuration's file, against whose directory relative paths resolve; may
     *     be {@code null} (then the working directory)
     * @throws io.portico.core.config.ConfigException when the configuration cannot be served
     * @throws IllegalStateException when a listener cannot bind
     */
    public static Portico start(PorticoConfig config, Path file) {
        Path base = file == null ? Path.of("").toAbsolutePath() : file.toAbsolutePath().getParent();
        PluginHost plugins = PluginHost.load(base.resolve(config.plugins().dir()));
        try {
            ObjectMapper mapper = ConfigMapper.create();
            ExtensionRegistry registry = ExtensionRegistry.of(plugins,
                    (settings, type, f, keyPath) -> ConfigMapper.bind(mapper, settings, type, f, keyPath));
            ProxyRuntime runtime = new RuntimeBuilder(registry, file).build(config);
            DnsEndpoints dns = DnsEndpoints.start(runtime, file);
            try {
                return new Portico(plugins, PorticoServer.start(runtime, file), dns);
            } catch (RuntimeException e) {
                dns.close();
                throw e;
            }
        } catch (RuntimeException e) {
            plugins.close();
            throw e;
        }
    }

    /** The ports listened on, in configured order. */
    public List<Integer> ports() {
        return server.ports();
    }

    /** The first port listened on. */
    public int port() {
        return server.ports().getFirst();
    }

    /** The runtime being served: routes, and upstreams with their endpoints' live state. */
    public ProxyRuntime runtime() {
        return server.proxy().runtime();
    }

    /** The admin listener's address, when the configuration has {@code admin}. */
    public Optional<InetSocketAddress> adminAddress() {
        return server.adminAddress();
    }

    /** The loaded plugins. */
    public PluginHost plugins() {
        return plugins;
    }

    /**
     * Stops gracefully, waiting up to {@code deadline} for requests in flight.
     *
     * @return whether every request finished in time
     */
    public boolean shutdown(Duration deadline) {
        try {
            return server.shutdown(deadline);
        } finally {
            dns.close();
            plugins.close();
        }
    }

    @Override
    public void close() {
        shutdown(Duration.ZERO);
    }
}
