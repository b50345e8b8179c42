package io.portico.core.config;

/**
 * A host and port as written in the configuration: {@code 127.0.0.1:8080}, {@code [::1]:8080},
 * {@code origin.internal:80}, {@code :8080} (all addresses).
 *
 * @param host a host name or literal address, without brackets
 * @param port 1..65535 (0 only for listeners, meaning any free port)
 */
public record HostPort(String host, int port) {

    /** Validates the port. */
    public HostPort {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (host == null || host.isEmpty()) {
            host = "0.0.0.0";
        }
    }

    /**
     * Parses {@code host:port}.
     *
     * @throws IllegalArgumentException saying what was expected
     */
    public static HostPort parse(String text) {
        String s = text.trim();
        int colon = s.lastIndexOf(':');
        if (colon < 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException("expected host:port such as 127.0.0.1:8080, got '" + text + "'");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("expected an IPv6 address in brackets, such as [::1]:8080, got '" + text + "'");
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a port number after ':', got '" + text + "'");
        }
        return new HostPort(host, port);
    }

    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
