package io.portico.plugins.balancers;

import io.portico.api.balancer.Endpoint;
import java.util.List;
import java.util.function.Function;

/**
 * Work a balancer derives from an endpoint list (a hash ring, a schedule, an alias table), kept
 * until Portico passes a different list.
 *
 * <p>Portico passes the same list instance until the set of healthy endpoints changes, so the
 * cache compares lists by identity: a hit costs one volatile read and one comparison. A new list is
 * derived once, under a lock, even when several threads see it at once: some derived values carry
 * state (a live weighted schedule), which two copies would split between them.
 *
 * @param <T> what is derived from a list; it must be safe to share between threads
 */
final class PerListCache<T> {

    private record Entry<T>(List<Endpoint> endpoints, T derived) {
    }

    private final Function<List<Endpoint>, T> builder;
    private volatile Entry<T> current;

    /** @param builder derives the cached value from a list; called under the cache's lock */
    PerListCache(Function<List<Endpoint>, T> builder) {
        this.builder = builder;
    }

    /** What was derived from {@code endpoints}, deriving and caching it if the list is new. */
    T get(List<Endpoint> endpoints) {
        Entry<T> entry = current;
        if (entry != null && entry.endpoints == endpoints) {
            return entry.derived;
        }
        return derive(endpoints);
    }

    private synchronized T derive(List<Endpoint> endpoints) {
        Entry<T> entry = current;
        if (entry != null && entry.endpoints == endpoints) {
            return entry.derived;
        }
        T derived = builder.apply(endpoints);
        current = new Entry<>(endpoints, derived);
        return derived;
    }

    /** What was derived from {@code endpoints} if that is the cached list, else {@code null}. */
    T peek(List<Endpoint> endpoints) {
        Entry<T> entry = current;
        return entry != null && entry.endpoints == endpoints ? entry.derived : null;
    }
}
