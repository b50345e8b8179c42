package io.portico.api.balancer;

import java.util.List;

/**
 * Picks the endpoint of an upstream that a request goes to.
 *
 * <p>Portico calls {@link #select} for each request (and again, with the failed endpoint left out,
 * when it retries) with the endpoints that are healthy now. It then reports how the request went
 * through {@link #onResult}, so that latency-aware or outlier-aware algorithms can learn.
 *
 * <p>Balancers that keep their own state per endpoint, such as a count of requests in flight, also
 * hear when each request starts and ends: {@link #onRequestStarted} when a request is sent to an
 * endpoint, and {@link #onRequestEnded} exactly once for each such start, when the request is over.
 * Between the two, the request is in flight on that endpoint. Balancers that need none of this
 * ignore the callbacks (their defaults do nothing).
 *
 * <p>One balancer serves one upstream for all event loops at once: implementations must be
 * thread-safe, and should be lock-free, as {@link #select} and the callbacks are on every request's
 * path. None of them may block.
 */
public interface Balancer {

    /**
     * Picks one of {@code endpoints}.
     *
     * @param endpoints the healthy endpoints, never empty; the same list instance is passed until
     *     the set of healthy endpoints changes, so balancers may cache work keyed on it
     * @param context what is known of the request
     * @return one element of {@code endpoints}
     */
    Endpoint select(List<Endpoint> endpoints, SelectionContext context);

    /**
     * Hears how a request sent to {@code endpoint} went. Called once per {@link #select} whose
     * endpoint was used, on the event loop that served it. The default ignores it.
     */
    default void onResult(Endpoint endpoint, RequestResult result) {
    }

    /**
     * Hears that a request was sent to {@code endpoint}; on a TCP listener, that a connection to it
     * is being opened. The endpoint is usually one this balancer picked; it may also be one Portico
     * chose without asking (a sticky session's endpoint), and a retry of a request is a new start
     * on the endpoint tried next. Called on the event loop that serves the request, before any of
     * its bytes go out. The default ignores it.
     *
     * <p>Every call is matched by exactly one later {@link #onRequestEnded} for the same endpoint,
     * so a balancer can keep exact counts of requests in flight. It runs on every request's path:
     * it must be cheap and must not block. An exception it throws is logged and otherwise ignored;
     * the request goes on, and its end is still reported.
     *
     * @param endpoint an endpoint of this balancer's upstream
     */
    default void onRequestStarted(Endpoint endpoint) {
    }

    /**
     * Hears that a request reported by {@link #onRequestStarted} is over: its response has ended,
     * or it failed (no connection, a timeout, a reset, the client gone), or, on a TCP listener, the
     * connection closed. Called exactly once per start, possibly on another thread than the start.
     * The default ignores it.
     *
     * <p>Like the start, it must be cheap and must not block; an exception it throws is logged and
     * otherwise ignored.
     *
     * @param endpoint the endpoint given to the matching {@link #onRequestStarted}
     */
    default void onRequestEnded(Endpoint endpoint) {
    }
}
