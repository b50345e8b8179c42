/**
 * The Portico plugin API: everything a plugin author compiles against.
 *
 * <p>Portico's core accepts connections, matches a route, runs the route's filter chain, picks an
 * upstream endpoint with the upstream's balancer and streams the exchange. Every concern beyond
 * that arrives as an <em>extension</em>, found by name from the configuration:
 *
 * <ul>
 *   <li>{@link io.portico.api.filter.FilterFactory} builds a {@link io.portico.api.filter.Filter}
 *       that sees each request and response of a route (auth, WAF, cache, rate limits, ...);
 *   <li>{@link io.portico.api.balancer.BalancerFactory} builds a
 *       {@link io.portico.api.balancer.Balancer} that picks an endpoint of an upstream;
 *   <li>{@link io.portico.api.cache.CacheStoreFactory} builds a
 *       {@link io.portico.api.cache.CacheStore} for cached responses;
 *   <li>{@link io.portico.api.auth.AuthProviderFactory} builds an
 *       {@link io.portico.api.auth.AuthProvider} that turns credentials into a principal;
 *   <li>{@link io.portico.api.waf.WafRuleSet} contributes rules to the WAF engine;
 *   <li>{@link io.portico.api.geo.GeoResolverFactory} builds a
 *       {@link io.portico.api.geo.GeoResolver} that maps an address to a location.
 * </ul>
 *
 * <p>Each extension is a PF4J {@link org.pf4j.ExtensionPoint}: annotate the implementing class
 * with {@link org.pf4j.Extension @Extension}, package it as a plugin jar and drop the jar into
 * Portico's {@code plugins/} directory. Its typed configuration is bound from the YAML under the
 * extension's {@linkplain io.portico.api.config.ExtensionFactory#name() name}; see
 * {@link io.portico.api.config.ExtensionFactory} for the binding rules.
 *
 * <p>Threading: Portico runs each connection on one Netty event loop thread. Filters and
 * balancers are called on that thread and must never block it; anything slow returns a
 * {@link java.util.concurrent.CompletionStage} instead. A filter or balancer instance is shared by
 * all event loops and must therefore be thread-safe.
 */
package io.portico.api;
