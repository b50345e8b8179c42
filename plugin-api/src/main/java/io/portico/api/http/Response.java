package io.portico.api.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A complete response that a filter sends in place of the upstream's: a 401 challenge, a 403, a
 * 429, a cached page. Immutable and safe to share between threads and requests.
 *
 * <pre>{@code
 * Response denied = Response.builder(403)
 *         .header("content-type", "text/plain; charset=utf-8")
 *         .body("forbidden\n")
 *         .build();
 * }</pre>
 *
 * <p>Portico adds {@code Content-Length} and the connection-level headers itself.
 */
public final class Response {

    private final int status;
    private final List<Map.Entry<String, String>> headers;
    private final byte[] body;

    private Response(Builder builder) {
        this.status = builder.status;
        this.headers = List.copyOf(builder.headers);
        this.body = builder.body;
    }

    /** A plain-text response: {@code status}, {@code text/plain; charset=utf-8} and {@code text}. */
    public static Response text(int status, String text) {
        return builder(status).header("content-type", "text/plain; charset=utf-8").body(text).build();
    }

    /** A builder of a response with {@code status}. */
    public static Builder builder(int status) {
        return new Builder(status);
    }

    /** The status code. */
    public int status() {
        return status;
    }

    /** The headers in the order given, names as given. */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /** A copy of the body; empty when there is none. */
    public byte[] body() {
        return body.clone();
    }

    /** The body's length in bytes. */
    public int bodyLength() {
        return body.length;
    }

    /**
     * Copies the body into {@code target} at {@code offset}, for senders that must not allocate a
     * copy of the array.
     */
    public void copyBodyTo(byte[] target, int offset) {
        System.arraycopy(body, 0, target, offset, body.length);
    }

    /** Builds a {@link Response}; validates as it goes. */
    public static final class Builder {
        private final int status;
        private final List<Map.Entry<String, String>> headers = new ArrayList<>();
        private byte[] body = new byte[0];

        private Builder(int status) {
            if (status < 200 || status > 599) {
                throw new IllegalArgumentException("a response status must be 200..599, got " + status);
            }
            this.status = status;
        }

        /** Adds a header. */
        public Builder header(String name, String value) {
            headers.add(Map.entry(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value")));
            return this;
        }

        /** Sets the body to the UTF-8 bytes of {@code text}. */
        public Builder body(String text) {
            this.body = text.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /** Sets the body to a copy of {@code bytes}. */
        public Builder body(byte[] bytes) {
            this.body = bytes.clone();
            return this;
        }

        /** The response. */
        public Response build() {
            return new Response(this);
        }
    }
}
