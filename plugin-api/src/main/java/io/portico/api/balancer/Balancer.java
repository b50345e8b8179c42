package io.portico.api.balancer;

import java.util.List;

/**
 * Picks the endpoint of an upstream that a request goes to.
 *
 * <p>Portico calls {@link #select} for each request (and again, with the failed endpoint left out,
 * when it retries) with the endpoints that are healthy now. It then reports how the request went
 * through {@link #onResult}, so that latency-aware or outlier-aware algorithms can learn.
 *
 * <p>One balancer serves one upstream for all event loops at once: implementations must be
 * thread-safe, and should be lock-free, as {@link #select} is on every request's path. It must
 * not block.
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
}
