package io.portico.core.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The checks that span several records, and the defaults that depend on where a record sits in the
 * file (a route's name, an upstream's default balancer path).
 */
final class ConfigChecks {

    private ConfigChecks() {
    }

    /**
     * Checks {@code config} and returns it with positional defaults applied.
     *
     * @throws ConfigException at the first problem in the order of the file
     */
    static PorticoConfig check(PorticoConfig config, Path file) {
        checkListeners(config.listen(), file);
        checkTcpUpstreams(config, file);
        Map<String, UpstreamConfig> upstreams = completeUpstreams(config.upstreams());
        List<RouteConfig> routes = completeRoutes(config, file);
        return new PorticoConfig(config.listen(), config.server(), config.plugins(), config.accessLog(),
                config.shutdown(), upstreams, routes, config.admin(), config.dns());
    }

    private static void checkTcpUpstreams(PorticoConfig config, Path file) {
        List<ListenerConfig> listen = config.listen();
        for (int i = 0; i < listen.size(); i++) {
            String upstream = listen.get(i).upstream();
            if (upstream != null && !config.upstreams().containsKey(upstream)) {
                throw new ConfigException(file, "listen[" + i + "].upstream", "unknown upstream '" + upstream
                        + "'; defined: " + String.join(", ", config.upstreams().keySet()));
            }
        }
    }

    private static void checkListeners(List<ListenerConfig> listen, Path file) {
        if (listen.isEmpty()) {
            throw new ConfigException(file, "listen",
                    "expected at least one address to listen on, such as {address: 0.0.0.0:8080}");
        }
        Map<HostPort, Integer> seen = new HashMap<>();
        for (int i = 0; i < listen.size(); i++) {
            HostPort address = listen.get(i).address();
            // Port 0 asks for any free port, so several such listeners never clash.
            Integer first = address.port() == 0 ? null : seen.putIfAbsent(address, i);
            if (first != null) {
                throw new ConfigException(file, "listen[" + i + "].address",
                        "duplicate address " + address + ", already at listen[" + first + "]");
            }
        }
    }

    /** Gives a default balancer its key path, so that errors about it say which upstream. */
    private static Map<String, UpstreamConfig> completeUpstreams(Map<String, UpstreamConfig> upstreams) {
        Map<String, UpstreamConfig> completed = new LinkedHashMap<>();
        upstreams.forEach((name, u) -> {
            ExtensionRef balancer = u.balancer().path().isEmpty()
                    ? new ExtensionRef(u.balancer().name(), u.balancer().settings(), "upstreams." + name + ".balancer")
                    : u.balancer();
            completed.put(name, u.withBalancer(balancer));
        });
        return completed;
    }

    /** Checks upstream names and route names; names unnamed routes and gives body limits. */
    private static List<RouteConfig> completeRoutes(PorticoConfig config, Path file) {
        Map<String, Integer> names = new HashMap<>();
        List<RouteConfig> completed = new ArrayList<>();
        for (int i = 0; i < config.routes().size(); i++) {
            RouteConfig r = config.routes().get(i);
            String at = "routes[" + i + "]";
            String name = r.name() == null ? at : r.name();
            Integer first = names.putIfAbsent(name, i);
            if (first != null) {
                throw new ConfigException(file, at + ".name",
                        "duplicate route name '" + name + "', already used by routes[" + first + "]");
            }
            if (!config.upstreams().containsKey(r.upstream())) {
                throw new ConfigException(file, at + ".upstream", unknownUpstream(r.upstream(), config));
            }
            completed.add(new RouteConfig(name, r.match(), r.rewrite(), r.hostHeader(),
                    r.maxBodySize() == null ? config.server().maxBodySize() : r.maxBodySize(),
                    r.filters(), r.upstream(), r.compression()));
        }
        return completed;
    }

    private static String unknownUpstream(String name, PorticoConfig config) {
        if (config.upstreams().isEmpty()) {
            return "unknown upstream '" + name + "'; no upstreams are defined";
        }
        return "unknown upstream '" + name + "'; defined: " + String.join(", ", new TreeSet<>(config.upstreams().keySet()));
    }
}
