package io.portico.api.geo;

import io.portico.api.config.ExtensionFactory;

/**
 * Builds a {@link GeoResolver}: {@code geo: {resolver: {maxmind: {country-db: GeoLite2-Country.mmdb}}}}.
 *
 * @param <C> the configuration type
 */
public interface GeoResolverFactory<C> extends ExtensionFactory<C, GeoResolver> {
}
