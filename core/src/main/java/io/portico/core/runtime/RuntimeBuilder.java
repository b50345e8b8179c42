package io.portico.core.runtime;

import io.portico.api.balancer.Balancer;
import io.portico.api.filter.Filter;
import io.portico.core.compression.CompressionPolicy;
import io.portico.core.config.ConfigException;
import io.portico.core.config.EndpointConfig;
import io.portico.core.config.ExtensionRef;
import io.portico.core.config.PorticoConfig;
import io.portico.core.config.RouteConfig;
import io.portico.core.config.UpstreamConfig;
import io.portico.core.health.OutlierDetector;
import io.portico.core.plugin.ExtensionKind;
import io.portico.core.plugin.ExtensionRegistry;
import io.portico.core.routing.Router;
import io.portico.core.upstream.Upstream;
import io.portico.core.upstream.UpstreamEndpoint;
import io.portico.core.upstream.UpstreamTls;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles a {@link PorticoConfig} into a {@link ProxyRuntime}: makes the endpoints written as IP
 * addresses, creates each upstream's balancer and each route's filters through the {@link ExtensionRegistry},
 * and builds the router. Any problem is a {@link ConfigException} naming the file and key path.
 *
 * <p>Endpoints written as host names are left to {@link io.portico.core.dns.DnsEndpoints}, which
 * resolves them (and fails on a name that does not resolve) before the runtime serves, and keeps
 * them in step with DNS after that.
 */
public final class RuntimeBuilder {

    private final ExtensionRegistry registry;
    private final Path file;
    private final Path configDir;

    /**
     * @param registry where extensions are found by name
     * @param file the configuration file (for error messages and relative paths); may be {@code null}
     */
    public RuntimeBuilder(ExtensionRegistry registry, Path file) {
        this.registry = registry;
        this.file = file;
        Path parent = file == null ? null : file.toAbsolutePath().getParent();
        this.configDir = parent == null ? Path.of("").toAbsolutePath() : parent;
    }

    /** Compiles {@code config}. */
    public ProxyRuntime build(PorticoConfig config) {
        Map<String, Upstream> upstreams = new LinkedHashMap<>();
        config.upstreams().forEach((name, upstream) -> upstreams.put(name, upstream(name, upstream)));

        Router.Builder<Route> router = Router.builder();
        List<RouteConfig> routes = config.routes();
        for (int i = 0; i < routes.size(); i++) {
            RouteConfig rc = routes.get(i);
            String path = "routes[" + i + "]";
            Upstream upstream = upstreams.get(rc.upstream());
            if (upstream == null) {
                throw new ConfigException(file, path + ".upstream",
                        "unknown upstream '" + rc.upstream() + "'; defined: " + String.join(", ", upstreams.keySet()));
            }
            String name = rc.name() == null ? path : rc.name();
            List<Filter> filters = new ArrayList<>();
            for (ExtensionRef ref : rc.filters()) {
                filters.add(registry.create(ExtensionKind.FILTER, ref, file, configDir));
            }
            long maxBody = (rc.maxBodySize() == null ? config.server().maxBodySize() : rc.maxBodySize()).bytes();
            Route route = Route.of(name, upstream, filters, Route.HostHeader.parse(rc.hostHeader()), maxBody,
                    CompressionPolicy.of(rc.compression()));
            try {
                router.route(name, rc.match(), rc.rewrite(), route);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(file, path, e.getMessage());
            }
        }
        return new ProxyRuntime(config, router.build(), upstreams);
    }

    private Upstream upstream(String name, UpstreamConfig config) {
        List<UpstreamEndpoint> endpoints = new ArrayList<>();
        addEndpoints(endpoints, config.endpoints(), false);
        addEndpoints(endpoints, config.backup(), true);
        Balancer balancer = registry.create(ExtensionKind.BALANCER, config.balancer(), file, configDir);
        UpstreamTls tls = config.tls() == null ? null
                : UpstreamTls.of(config.tls(), config.protocol(), configDir, file, "upstreams." + name + ".tls");
        return new Upstream(name, endpoints, balancer, config, OutlierDetector.of(config.outlierDetection()), tls);
    }

    /** Adds the endpoints written as IP addresses; host names are left to {@code DnsEndpoints}. */
    private static void addEndpoints(List<UpstreamEndpoint> into, List<EndpointConfig> configured, boolean backup) {
        for (EndpointConfig ec : configured) {
            InetAddress ip = NetUtil.createInetAddressFromIpAddressString(ec.address().host());
            if (ip == null) {
                continue;
            }
            InetSocketAddress address = new InetSocketAddress(ip, ec.address().port());
            into.add(new UpstreamEndpoint(ec.address(), ec.weight(), address, backup));
        }
    }
}
