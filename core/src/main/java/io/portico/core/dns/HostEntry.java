package io.portico.core.dns;

import io.netty.util.NetUtil;
import io.portico.core.config.EndpointConfig;
import io.portico.core.upstream.UpstreamEndpoint;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One endpoint of the configuration written as a host name, and the endpoints it stands for now:
 * one per address of its latest answer, named by that address ({@code 10.0.0.5:8080}).
 * Confined to one thread at a time.
 */
final class HostEntry {

    private final EndpointConfig config;
    private final boolean backup;
    private final String keyPath;
    private List<UpstreamEndpoint> endpoints = List.of();

    /**
     * @param config the configured endpoint
     * @param backup whether it belongs to the backup pool
     * @param keyPath where it is in the configuration, for errors
     */
    HostEntry(EndpointConfig config, boolean backup, String keyPath) {
        this.config = config;
        this.backup = backup;
        this.keyPath = keyPath;
    }

    /** The host name. */
    String host() {
        return config.address().host();
    }

    /** Where it is in the configuration. */
    String keyPath() {
        return keyPath;
    }

    /** The endpoints of its latest answer. */
    List<UpstreamEndpoint> endpoints() {
        return endpoints;
    }

    /**
     * Takes a new answer. Addresses already known keep their endpoint instance (and so its counters
     * and health).
     *
     * @return whether the set of addresses changed
     */
    boolean update(Set<InetAddress> addresses) {
        if (addresses.size() == endpoints.size()
                && endpoints.stream().allMatch(e -> addresses.contains(e.address().getAddress()))) {
            return false;
        }
        List<UpstreamEndpoint> next = new ArrayList<>(addresses.size());
        for (InetAddress address : addresses) {
            next.add(endpoints.stream()
                    .filter(e -> e.address().getAddress().equals(address))
                    .findFirst()
                    .orElseGet(() -> endpoint(address)));
        }
        endpoints = List.copyOf(next);
        return true;
    }

    private UpstreamEndpoint endpoint(InetAddress address) {
        int port = config.address().port();
        String literal = NetUtil.toAddressString(address);
        String id = address instanceof Inet6Address ? "[" + literal + "]:" + port : literal + ":" + port;
        return new UpstreamEndpoint(id, config.address(), config.weight(), new InetSocketAddress(address, port), backup);
    }

    /** The current addresses, for logs: {@code 10.0.0.5, 10.0.0.6}. */
    String describe() {
        return String.join(", ", endpoints.stream().map(e -> NetUtil.toAddressString(e.address().getAddress())).toList());
    }
}
