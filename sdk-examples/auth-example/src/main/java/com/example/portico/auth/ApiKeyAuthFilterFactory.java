package com.example.portico.auth;

import io.portico.api.auth.AuthProvider;
import io.portico.api.auth.AuthResult;
import io.portico.api.auth.Principal;
import io.portico.api.config.ExtensionContext;
import io.portico.api.filter.Exchange;
import io.portico.api.filter.Filter;
import io.portico.api.filter.FilterFactory;
import io.portico.api.filter.FilterResult;
import io.portico.api.http.Response;
import org.pf4j.Extension;

/**
 * The filter {@code api-key-auth}: lets through only the requests the {@code api-key} provider
 * authenticates, and tells the origin who sent them.
 *
 * <pre>{@code
 * routes:
 *   - match: {path: /api}
 *     filters: [{api-key-auth: {keys: {k3y-for-alice: alice}}}]
 *     upstream: api
 * }</pre>
 *
 * <p>An authenticated request goes on with the header {@value #USER_HEADER} naming the client (one
 * sent by the client is dropped first) and the {@link Principal} in the exchange's attributes. A
 * request without a key is answered {@code 401} with a {@code www-authenticate} challenge; one
 * with an unknown key gets the provider's answer.
 */
@Extension
public final class ApiKeyAuthFilterFactory implements FilterFactory<ApiKeySettings> {

    /** The request header that tells the origin who the client is. */
    public static final String USER_HEADER = "x-authenticated-user";

    @Override
    public String name() {
        return "api-key-auth";
    }

    @Override
    public Class<ApiKeySettings> configType() {
        return ApiKeySettings.class;
    }

    @Override
    public Filter create(ApiKeySettings settings, ExtensionContext context) {
        AuthProvider provider = new ApiKeyAuthProviderFactory().create(settings, context);
        Response keyRequired = Response.builder(401)
                .header("www-authenticate", "ApiKey header=\"" + settings.header() + "\"")
                .header("content-type", "text/plain; charset=utf-8")
                .body("an API key is required in " + settings.header() + "\n")
                .build();
        return new Filter() {
            @Override
            public FilterResult onRequest(Exchange exchange) {
                exchange.request().headers().remove(USER_HEADER);
                return FilterResult.async(provider.authenticate(exchange).thenApply(result -> decide(exchange, result)));
            }

            private FilterResult decide(Exchange exchange, AuthResult result) {
                if (result.principal() != null) {
                    exchange.attribute(Principal.ATTRIBUTE, result.principal());
                    exchange.request().headers().set(USER_HEADER, result.principal().name());
                    return FilterResult.proceed();
                }
                return FilterResult.respond(result.challenge() != null ? result.challenge() : keyRequired);
            }
        };
    }
}
