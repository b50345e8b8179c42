package io.portico.testkit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What an {@link Origin} answers: a status, headers and a text body.
 *
 * <pre>{@code
 * origin.respond(request -> OriginResponse.text(200, "hello").header("cache-control", "max-age=60"));
 * }</pre>
 *
 * @param status the HTTP status, 100..599
 * @param headers the headers to send, besides {@code content-length}
 * @param body the body, sent as UTF-8
 */
public record OriginResponse(int status, Map<String, String> headers, String body) {

    /** Checks the status and copies the headers. */
    public OriginResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("an origin's status must be 100..599, got " + status);
        }
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }

    /** A {@code text/plain} response. */
    public static OriginResponse text(int status, String body) {
        return new OriginResponse(status, Map.of("content-type", "text/plain; charset=utf-8"), body);
    }

    /** This response with header {@code name} set to {@code value}. */
    public OriginResponse header(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new OriginResponse(status, more, body);
    }
}
