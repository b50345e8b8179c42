package io.portico.core.plugin;

/**
 * Sources of small plugins compiled at test time with {@link PluginJarBuilder}, shared by the tests
 * that drop a plugin into a plugins directory (in-process and in the distribution).
 */
public final class ExamplePlugins {

    private ExamplePlugins() {
    }

    /** A filter that sets a header on the request going upstream and on the response coming back. */
    public static final String STAMP_FILTER = """
            package com.example.stamp;

            import io.portico.api.config.ExtensionContext;
            import io.portico.api.filter.Exchange;
            import io.portico.api.filter.Filter;
            import io.portico.api.filter.FilterFactory;
            import io.portico.api.filter.FilterResult;
            import io.portico.api.http.ResponseHead;
            import org.pf4j.Extension;

            @Extension
            public final class StampFilterFactory implements FilterFactory<StampFilterFactory.Config> {
                public record Config(String header, String value) {
                    public Config {
                        if (header == null || value == null) {
                            throw new IllegalArgumentException("expected both 'header' and 'value'");
                        }
                    }
                }

                public String name() { return "stamp"; }
                public Class<Config> configType() { return Config.class; }

                public Filter create(Config config, ExtensionContext context) {
                    return new Filter() {
                        public FilterResult onRequest(Exchange exchange) {
                            exchange.request().headers().set(config.header(), config.value());
                            return FilterResult.proceed();
                        }

                        public FilterResult onResponse(Exchange exchange, ResponseHead response) {
                            response.headers().set(config.header(), config.value());
                            return FilterResult.proceed();
                        }
                    };
                }
            }
            """;

    /** A balancer that always picks the first endpoint listed. */
    public static final String ALWAYS_FIRST_BALANCER = """
            package com.example.stamp;

            import io.portico.api.balancer.Balancer;
            import io.portico.api.balancer.BalancerFactory;
            import io.portico.api.config.ExtensionContext;
            import io.portico.api.config.NoConfig;
            import org.pf4j.Extension;

            @Extension
            public final class AlwaysFirstBalancerFactory implements BalancerFactory<NoConfig> {
                public String name() { return "always-first"; }
                public Class<NoConfig> configType() { return NoConfig.class; }
                public Balancer create(NoConfig config, ExtensionContext context) {
                    return (endpoints, selection) -> endpoints.getFirst();
                }
            }
            """;
}
