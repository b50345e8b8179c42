package io.portico.api.cache;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A stored response: status, headers and the whole body.
 *
 * @param status the status code
 * @param headers the headers, in order
 * @param body the body; treat as read-only
 * @param storedAtMillis when it was stored, in epoch milliseconds (for {@code Age})
 */
public record CachedResponse(int status, List<Map.Entry<String, String>> headers, byte[] body, long storedAtMillis) {

    /** Validates and copies the header list. */
    public CachedResponse {
        headers = List.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }

    /** The approximate size in bytes, which stores bound their capacity by. */
    public long weight() {
        long w = 64L + body.length;
        for (Map.Entry<String, String> h : headers) {
            w += 32L + h.getKey().length() + h.getValue().length();
        }
        return w;
    }
}
