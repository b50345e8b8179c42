package io.portico.core.proxy;

import io.portico.api.config.ExtensionContext;
import io.portico.api.config.Size;
import io.portico.api.filter.Exchange;
import io.portico.api.filter.Filter;
import io.portico.api.filter.FilterFactory;
import io.portico.api.filter.FilterResult;
import io.portico.api.http.ResponseHead;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.pf4j.Extension;

/**
 * A test-only filter, {@code test-body}, that reads whole bodies: it upper-cases the request body
 * and appends {@code " [seen N bytes]"} to the response body. {@code {test-body: {request: 1KB,
 * response: 1KB}}}; a phase whose limit is absent streams as usual.
 */
@Extension
public final class BodyFilterFactory implements FilterFactory<BodyFilterFactory.Config> {

    /** The body limits; absent means the filter leaves that body alone. */
    public record Config(Size request, Size response) {
    }

    @Override
    public String name() {
        return "test-body";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public Filter create(Config config, ExtensionContext context) {
        long requestLimit = config.request() == null ? 0 : config.request().bytes();
        long responseLimit = config.response() == null ? 0 : config.response().bytes();
        return new Filter() {
            @Override
            public long requestBodyLimit() {
                return requestLimit;
            }

            @Override
            public long responseBodyLimit() {
                return responseLimit;
            }

            @Override
            public FilterResult onRequest(Exchange exchange) {
                byte[] body = exchange.requestBody();
                if (body != null) {
                    exchange.requestBody(new String(body, StandardCharsets.UTF_8).toUpperCase(Locale.ROOT)
                            .getBytes(StandardCharsets.UTF_8));
                }
                return FilterResult.proceed();
            }

            @Override
            public FilterResult onResponse(Exchange exchange, ResponseHead response) {
                byte[] body = exchange.responseBody();
                if (body != null) {
                    exchange.responseBody((new String(body, StandardCharsets.UTF_8) + " [seen " + body.length + " bytes]")
                            .getBytes(StandardCharsets.UTF_8));
                }
                return FilterResult.proceed();
            }
        };
    }
}
