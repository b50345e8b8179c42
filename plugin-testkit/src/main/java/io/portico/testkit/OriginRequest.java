package io.portico.testkit;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A request as an {@link Origin} received it from Portico.
 *
 * @param method the method, {@code GET}
 * @param uri the path and query, {@code /search?q=x}
 * @param headers the headers, names in lower case, each with its values in order
 * @param body the body as UTF-8 text, empty when there is none
 */
public record OriginRequest(String method, String uri, Map<String, List<String>> headers, String body) {

    /** Copies the headers. */
    public OriginRequest {
        headers = Map.copyOf(headers);
    }

    /** The first value of header {@code name} (any case), or {@code null} when it was not sent. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.getFirst();
    }
}
