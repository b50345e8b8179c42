package io.portico.core.proxy;

import io.portico.api.filter.Filter;
import io.portico.api.filter.FilterResult;
import io.portico.api.http.Response;
import java.util.List;

/**
 * Runs a route's filters over an exchange: request filters in order, response filters in reverse
 * order over those whose request phase proceeded. A filter that answers asynchronously suspends
 * the chain; the chain resumes on the exchange's event loop, or not at all if the exchange ended
 * meanwhile (the client left).
 */
final class FilterChain {

    /** Where a chain run ends up. Called on the exchange's event loop. */
    interface Listener {
        /** Every request filter proceeded. */
        void requestFiltersDone(ProxyExchange exchange);

        /** Every response filter proceeded (with {@code head} as they left it). */
        void responseFiltersDone(ProxyExchange exchange, NettyResponseHead head);

        /** A filter answered in place of the upstream (or replaced its response). */
        void answeredByFilter(ProxyExchange exchange, Response response, boolean fromResponsePhase);

        /** A filter threw, returned null, or its asynchronous decision failed. */
        void filterFailed(ProxyExchange exchange, Filter filter, Throwable cause);
    }

    private FilterChain() {
    }

    /** Runs the request phase from the first filter. */
    static void runRequest(ProxyExchange exchange, Listener listener) {
        requestFrom(exchange, 0, listener);
    }

    /** Runs the response phase from the last filter that proceeded. */
    static void runResponse(ProxyExchange exchange, NettyResponseHead head, Listener listener) {
        responseFrom(exchange, head, exchange.filtersPassed - 1, listener);
    }

    private static void requestFrom(ProxyExchange exchange, int index, Listener listener) {
        List<Filter> filters = exchange.filters();
        for (int i = index; i < filters.size(); i++) {
            Filter filter = filters.get(i);
            FilterResult result;
            try {
                result = filter.onRequest(exchange);
            } catch (RuntimeException | LinkageError e) {
                listener.filterFailed(exchange, filter, e);
                return;
            }
            if (!applyRequestResult(exchange, i, filter, result, listener)) {
                return;
            }
        }
        listener.requestFiltersDone(exchange);
    }

    /** Returns whether the chain goes on synchronously with the next filter. */
    private static boolean applyRequestResult(ProxyExchange exchange, int i, Filter filter, FilterResult result,
                                              Listener listener) {
        if (result == null) {
            listener.filterFailed(exchange, filter, new NullPointerException("onRequest returned null"));
            return false;
        }
        if (result.proceeds()) {
            exchange.filtersPassed = i + 1;
            return true;
        }
        if (result.response() != null) {
            listener.answeredByFilter(exchange, result.response(), false);
            return false;
        }
        result.pending().whenComplete((next, error) -> exchange.executor.execute(() -> {
            if (exchange.aborted) {
                return;
            }
            if (error != null) {
                listener.filterFailed(exchange, filter, error);
            } else if (applyRequestResult(exchange, i, filter, next, listener)) {
                requestFrom(exchange, i + 1, listener);
            }
        }));
        return false;
    }

    private static void responseFrom(ProxyExchange exchange, NettyResponseHead head, int index, Listener listener) {
        List<Filter> filters = exchange.filters();
        for (int i = index; i >= 0; i--) {
            Filter filter = filters.get(i);
            FilterResult result;
            try {
                result = filter.onResponse(exchange, head);
            } catch (RuntimeException | LinkageError e) {
                listener.filterFailed(exchange, filter, e);
                return;
            }
            if (!applyResponseResult(exchange, head, i, filter, result, listener)) {
                return;
            }
        }
        listener.responseFiltersDone(exchange, head);
    }

    private static boolean applyResponseResult(ProxyExchange exchange, NettyResponseHead head, int i, Filter filter,
                                               FilterResult result, Listener listener) {
        if (result == null) {
            listener.filterFailed(exchange, filter, new NullPointerException("onResponse returned null"));
            return false;
        }
        if (result.proceeds()) {
            return true;
        }
        if (result.response() != null) {
            listener.answeredByFilter(exchange, result.response(), true);
            return false;
        }
        result.pending().whenComplete((next, error) -> exchange.executor.execute(() -> {
            if (exchange.aborted) {
                return;
            }
            if (error != null) {
                listener.filterFailed(exchange, filter, error);
            } else if (applyResponseResult(exchange, head, i, filter, next, listener)) {
                responseFrom(exchange, head, i - 1, listener);
            }
        }));
        return false;
    }
}
