package io.portico.core.config;

import io.netty.util.NetUtil;
import java.util.List;

/**
 * How endpoints written as host names are resolved: {@code dns: {servers: ["10.0.0.2:53"]}}.
 *
 * @param servers the name servers to ask, tried in order; empty (the default) means the system's,
 *     as listed in {@code /etc/resolv.conf}; each an IP address with its port
 */
public record DnsConfig(List<HostPort> servers) {

    /** The system's name servers. */
    public static final DnsConfig DEFAULTS = new DnsConfig(null);

    /** Applies defaults and validates. */
    public DnsConfig {
        servers = servers == null ? List.of() : List.copyOf(servers);
        for (HostPort server : servers) {
            if (server.port() == 0 || !NetUtil.isValidIpV4Address(server.host()) && !NetUtil.isValidIpV6Address(server.host())) {
                throw new IllegalArgumentException(
                        "servers: expected an IP address and port such as 10.0.0.2:53, got " + server);
            }
        }
    }
}
