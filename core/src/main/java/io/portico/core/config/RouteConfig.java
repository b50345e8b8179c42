package io.portico.core.config;

import io.portico.api.config.Size;
import java.util.List;
import java.util.Objects;

/**
 * A route: which requests it takes, what it does to them, and where they go.
 *
 * @param name a name for logs and metrics (default {@code routes[i]})
 * @param match which requests the route takes (default: all)
 * @param rewrite how the path is changed before it is sent upstream (default: unchanged)
 * @param hostHeader the {@code Host} sent upstream: {@code preserve} (the client's, the
 *     default), {@code endpoint} (the endpoint's host:port) or any literal host
 * @param maxBodySize largest request body; larger gets 413 (default: {@code server.max-body-size})
 * @param filters the filter chain, in order
 * @param upstream the name of the upstream requests go to
 * @param compression how responses are compressed for clients; absent: they are sent as they come
 */
public record RouteConfig(
        String name,
        MatchConfig match,
        RewriteConfig rewrite,
        String hostHeader,
        Size maxBodySize,
        List<ExtensionRef> filters,
        String upstream,
        CompressionConfig compression) {

    /** Applies defaults and validates. */
    public RouteConfig {
        match = match == null ? MatchConfig.ANY : match;
        hostHeader = hostHeader == null ? "preserve" : hostHeader;
        filters = filters == null ? List.of() : List.copyOf(filters);
        Objects.requireNonNull(upstream, "upstream is required: the name of an upstream");
    }
}
