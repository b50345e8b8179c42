package io.portico.api.cache;

import io.portico.api.config.ExtensionFactory;

/**
 * Builds the {@link CacheStore} a cache filter names: {@code cache: {store: {caffeine: {max-size:
 * 256MB}}}}.
 *
 * @param <C> the configuration type
 */
public interface CacheStoreFactory<C> extends ExtensionFactory<C, CacheStore> {
}
