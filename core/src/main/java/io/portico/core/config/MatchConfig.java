package io.portico.core.config;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.util.List;
import java.util.Map;

/**
 * Which requests a route takes. Every condition given must hold; an absent one always holds.
 *
 * @param host host names: exact ({@code api.example.com}) or a leading wildcard
 *     ({@code *.example.com}, which does not match {@code example.com} itself)
 * @param path the path condition
 * @param methods the methods, such as {@code [GET, HEAD]}
 * @param headers header name to required value ({@code "*"}: present with any value)
 * @param query query parameter name to required value ({@code "*"}: present with any value)
 */
public record MatchConfig(
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> host,
        PathMatch path,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> methods,
        Map<String, String> headers,
        Map<String, String> query) {

    /** Matches every request. */
    public static final MatchConfig ANY = new MatchConfig(null, null, null, null, null);

    /** Applies defaults. */
    public MatchConfig {
        host = host == null ? List.of() : List.copyOf(host);
        methods = methods == null ? List.of() : List.copyOf(methods);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        query = query == null ? Map.of() : Map.copyOf(query);
    }
}
