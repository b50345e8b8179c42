package io.portico.api.filter;

import io.portico.api.config.ExtensionFactory;

/**
 * Builds the {@link Filter} named in a route's filter list.
 *
 * <pre>{@code
 * @Extension
 * public final class AddHeaderFilterFactory implements FilterFactory<AddHeaderFilterFactory.Config> {
 *     public record Config(String name, String value) {
 *         public Config {
 *             if (name == null) throw new IllegalArgumentException("'name' is required");
 *         }
 *     }
 *     public String name() { return "add-header"; }
 *     public Class<Config> configType() { return Config.class; }
 *     public Filter create(Config config, ExtensionContext context) {
 *         return new Filter() {
 *             public FilterResult onRequest(Exchange exchange) {
 *                 exchange.request().headers().set(config.name(), config.value());
 *                 return FilterResult.proceed();
 *             }
 *         };
 *     }
 * }
 * }</pre>
 *
 * <p>used as {@code filters: [{add-header: {name: x-team, value: blue}}]}.
 *
 * @param <C> the configuration type
 */
public interface FilterFactory<C> extends ExtensionFactory<C, Filter> {
}
