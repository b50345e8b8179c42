package io.portico.testkit;

import io.portico.api.config.ExtensionContext;
import io.portico.api.config.NoConfig;
import io.portico.api.filter.Exchange;
import io.portico.api.filter.Filter;
import io.portico.api.filter.FilterFactory;
import io.portico.api.filter.FilterResult;
import io.portico.api.http.Response;
import io.portico.api.http.ResponseHead;
import org.pf4j.Extension;

/** A filter standing in for the plugin under test: stamps requests, refuses {@code /forbidden}. */
@Extension
public final class HeaderStampFilterFactory implements FilterFactory<NoConfig> {

    @Override
    public String name() {
        return "testkit-stamp";
    }

    @Override
    public Class<NoConfig> configType() {
        return NoConfig.class;
    }

    @Override
    public Filter create(NoConfig config, ExtensionContext context) {
        return new Filter() {
            @Override
            public FilterResult onRequest(Exchange exchange) {
                if (exchange.request().path().equals("/forbidden")) {
                    return FilterResult.respond(Response.text(403, "stamped out"));
                }
                exchange.request().headers().set("x-stamp", "on the way in");
                return FilterResult.proceed();
            }

            @Override
            public FilterResult onResponse(Exchange exchange, ResponseHead response) {
                response.headers().set("x-stamp", "on the way out");
                return FilterResult.proceed();
            }
        };
    }
}
