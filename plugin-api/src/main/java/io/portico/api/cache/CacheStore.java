package io.portico.api.cache;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Where cached responses are kept: in memory, in Redis, ... The cache filter decides what to
 * cache and under which key; a store only keeps entries.
 *
 * <p>Every method is asynchronous and must not block the caller (an event loop thread). A store
 * is shared by all event loops and must be thread-safe. A store's failures (a Redis outage)
 * complete the stage exceptionally; the cache filter then serves from the upstream.
 */
public interface CacheStore {

    /** The entry under {@code key}, or {@code null} when absent or expired. */
    CompletionStage<CachedResponse> get(String key);

    /** Stores {@code value} under {@code key} for {@code ttl}, replacing any previous entry. */
    CompletionStage<Void> put(String key, CachedResponse value, Duration ttl);

    /** Removes the entry under {@code key}, if any. */
    CompletionStage<Void> invalidate(String key);
}
