package io.portico.api.filter;

import io.portico.api.http.RequestHead;
import java.util.concurrent.Executor;

/**
 * One request and its response as they pass through a route's filters.
 *
 * <p>Attributes carry what one filter learned to the filters after it (and to the access log):
 * the authenticated principal, the client's country, a request id. They live as long as the
 * exchange.
 *
 * <p>An exchange belongs to one event loop thread and is not thread-safe: use it from the
 * filter's methods, or from tasks run on {@link #executor()}.
 *
 * <p>Implemented by Portico only: methods may be added in later versions of the API.
 */
public interface Exchange {

    /** The request head, as changed by the filters so far. */
    RequestHead request();

    /** The name of the matched route (its {@code name}, or {@code routes[i]}). */
    String routeName();

    /** The value of {@code key}, or {@code null} when unset. */
    <T> T attribute(AttributeKey<T> key);

    /** Sets {@code key} to {@code value}; {@code null} removes it. */
    <T> void attribute(AttributeKey<T> key, T value);

    /** The value of the attribute named {@code name}, whatever its type, or {@code null}. */
    Object attribute(String name);

    /** The exchange's event loop, for continuing asynchronous work on the exchange's thread. */
    Executor executor();

    /** When the request head arrived, as a {@link System#nanoTime()} value. */
    long startNanos();

    /**
     * The whole request body, when a filter of the route asked for it with {@link
     * Filter#requestBodyLimit()}; {@code null} otherwise. Treat the array as read-only.
     */
    byte[] requestBody();

    /**
     * Replaces the request body sent upstream (from {@link Filter#onRequest}, on routes where the
     * request body is held); {@code Content-Length} is set to match.
     *
     * @throws IllegalStateException when no filter of the route asked for the request body
     */
    void requestBody(byte[] body);

    /**
     * The whole response body, when a filter of the route asked for it with {@link
     * Filter#responseBodyLimit()}; {@code null} otherwise. Treat the array as read-only.
     */
    byte[] responseBody();

    /**
     * Replaces the response body sent to the client (from {@link Filter#onResponse}, on routes
     * where the response body is held); {@code Content-Length} is set to match.
     *
     * @throws IllegalStateException when no filter of the route asked for the response body
     */
    void responseBody(byte[] body);
}
