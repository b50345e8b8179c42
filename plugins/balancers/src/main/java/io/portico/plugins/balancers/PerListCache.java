package io.portico.plugins.balancers;

import io.portico.api.balancer.Endpoint;
import java.util.List;
import java.util.function.Function;

/**
 * Work a balancer derives from an endpoint list (a hash ring, a schedule, an alias table), kept
 * until Portico passes a different list.
 *
 * <p>Portico passes the same list instance until the set of healthy endpoints changes, so the
 * cache compares lists by identity: a hit costs one volatile read and one comparison. When two
 * threads see a new list at once both build, and the last to finish stays cached; the builders are
 * pure functions of the list, so either result is right.
 *
 * @param <T> what is derived from a list; it must be safe to share between threads
 */
final class PerListCache<T> {

    private record Entry<T>(List<Endpoint> endpoints, T derived) {
    }

    private final Function<List<Endpoint>, T> builder;
    private volatile Entry<T> current;

    /** @param builder derives the cached value from a list; called off the cache's lock-free path */
    PerListCache(Function<List<Endpoint>, T> builder) {
        this.builder = builder;
    }

    /** What was derived from {@code endpoints}, deriving and caching it if the list is new. */
    T get(List<Endpoint> endpoints) {
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
