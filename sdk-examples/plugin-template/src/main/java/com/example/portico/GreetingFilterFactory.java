package com.example.portico;

import io.portico.api.config.ExtensionContext;
import io.portico.api.filter.Exchange;
import io.portico.api.filter.Filter;
import io.portico.api.filter.FilterFactory;
import io.portico.api.filter.FilterResult;
import io.portico.api.http.ResponseHead;
import org.pf4j.Extension;

/**
 * The filter {@code greeting}: sets a header on the request going to the origin and on the
 * response coming back.
 *
 * <pre>{@code
 * routes:
 *   - match: {path: /}
 *     filters: [{greeting: {header: x-greeting, text: hello}}]
 *     upstream: app
 * }</pre>
 */
@Extension
public final class GreetingFilterFactory implements FilterFactory<GreetingFilterFactory.Settings> {

    /**
     * The filter's settings, bound from the configuration.
     *
     * @param header the header to set (default {@code x-greeting})
     * @param text its value; required
     */
    public record Settings(String header, String text) {

        /** Applies the default and checks the text is there. */
        public Settings {
            header = header == null ? "x-greeting" : header;
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException("expected 'text', the greeting to send");
            }
        }
    }

    @Override
    public String name() {
        return "greeting";
    }

    @Override
    public Class<Settings> configType() {
        return Settings.class;
    }

    @Override
    public Filter create(Settings settings, ExtensionContext context) {
        return new Filter() {
            @Override
            public FilterResult onRequest(Exchange exchange) {
                exchange.request().headers().set(settings.header(), settings.text());
                return FilterResult.proceed();
            }

            @Override
            public FilterResult onResponse(Exchange exchange, ResponseHead response) {
                response.headers().set(settings.header(), settings.text());
                return FilterResult.proceed();
            }
        };
    }
}
