package io.portico.core.config;

import java.util.List;
import java.util.Map;

/**
 * The whole configuration file, bound and with defaults applied. See {@code docs/configuration.md}.
 *
 * @param listen the addresses Portico accepts connections on
 * @param server limits and timeouts on the client side
 * @param plugins where plugin jars are loaded from
 * @param accessLog the access log
 * @param shutdown graceful shutdown
 * @param upstreams named groups of endpoints that routes send requests to
 * @param routes the routes, matched in order
 * @param admin the admin listener, or {@code null} when there is none
 * @param dns how endpoints written as host names are resolved
 */
public record PorticoConfig(
        List<ListenerConfig> listen,
        ServerConfig server,
        PluginsConfig plugins,
        AccessLogConfig accessLog,
        ShutdownConfig shutdown,
        Map<String, UpstreamConfig> upstreams,
        List<RouteConfig> routes,
        AdminConfig admin,
        DnsConfig dns) {

    /** Applies defaults. */
    public PorticoConfig {
        listen = listen == null ? List.of(ListenerConfig.http(new HostPort("0.0.0.0", 8080))) : List.copyOf(listen);
        server = server == null ? ServerConfig.DEFAULTS : server;
        plugins = plugins == null ? new PluginsConfig(null) : plugins;
        accessLog = accessLog == null ? new AccessLogConfig(null) : accessLog;
        shutdown = shutdown == null ? new ShutdownConfig(null) : shutdown;
        upstreams = upstreams == null ? Map.of() : Map.copyOf(upstreams);
        routes = routes == null ? List.of() : List.copyOf(routes);
        dns = dns == null ? DnsConfig.DEFAULTS : dns;
    }
}
