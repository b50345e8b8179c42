package io.portico.core.runtime;

import io.portico.api.filter.Filter;
import io.portico.core.compression.CompressionPolicy;
import io.portico.core.upstream.Upstream;
import java.util.List;

/**
 * A route compiled for the proxy: its filters, its upstream and the per-route limits. The matching
 * itself lives in the {@link io.portico.core.routing.Router}.
 *
 * @param name the route's name
 * @param upstream where its requests go
 * @param filters its filter chain, in order
 * @param hostHeader what {@code Host} the upstream receives
 * @param maxBodySize the largest request body accepted, in bytes
 * @param requestBodyLimit the largest request body a filter of the route asked to see whole
 *     ({@link Filter#requestBodyLimit()}); 0 when none asked, and the body streams
 * @param responseBodyLimit the same for response bodies
 * @param compression how its responses are compressed, or {@code null} for not at all
 */
public record Route(String name, Upstream upstream, List<Filter> filters, HostHeader hostHeader, long maxBodySize,
                    long requestBodyLimit, long responseBodyLimit, CompressionPolicy compression) {

    /** Copies the filter list. */
    public Route {
        filters = List.copyOf(filters);
    }

    /** A route whose body limits are the largest its filters ask for. */
    public static Route of(String name, Upstream upstream, List<Filter> filters, HostHeader hostHeader, long maxBodySize,
                           CompressionPolicy compression) {
        long request = 0;
        long response = 0;
        for (Filter filter : filters) {
            request = Math.max(request, filter.requestBodyLimit());
            response = Math.max(response, filter.responseBodyLimit());
        }
        return new Route(name, upstream, filters, hostHeader, maxBodySize, Math.min(request, maxBodySize), response,
                compression);
    }

    /**
     * The {@code Host} header sent upstream.
     *
     * @param literal the host to send, or {@code null} for the two policies
     * @param endpoint whether to send the endpoint's {@code host:port}
     */
    public record HostHeader(String literal, boolean endpoint) {

        /** Keep the client's {@code Host}. */
        public static final HostHeader PRESERVE = new HostHeader(null, false);

        /** Send the endpoint's {@code host:port}. */
        public static final HostHeader ENDPOINT = new HostHeader(null, true);

        /** Parses the {@code host-header} setting: {@code preserve}, {@code endpoint} or a literal host. */
        public static HostHeader parse(String setting) {
            return switch (setting) {
                case "preserve" -> PRESERVE;
                case "endpoint" -> ENDPOINT;
                default -> new HostHeader(setting, false);
            };
        }
    }
}
