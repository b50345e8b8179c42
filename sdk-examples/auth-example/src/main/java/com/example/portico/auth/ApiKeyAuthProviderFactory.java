package com.example.portico.auth;

import io.portico.api.auth.AuthProvider;
import io.portico.api.auth.AuthProviderFactory;
import io.portico.api.auth.AuthResult;
import io.portico.api.auth.Principal;
import io.portico.api.config.ExtensionContext;
import io.portico.api.http.Response;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.pf4j.Extension;

/**
 * The auth provider {@code api-key}: a client names itself with a key from a fixed list, sent in a
 * header.
 *
 * <p>No header: {@linkplain AuthResult#absent() absent}, so another provider may try. A listed key:
 * authenticated as the client the key names. Any other key: denied with {@code 401}.
 */
@Extension
public final class ApiKeyAuthProviderFactory implements AuthProviderFactory<ApiKeySettings> {

    @Override
    public String name() {
        return "api-key";
    }

    @Override
    public Class<ApiKeySettings> configType() {
        return ApiKeySettings.class;
    }

    @Override
    public AuthProvider create(ApiKeySettings settings, ExtensionContext context) {
        Map<String, String> keys = settings.keys();
        return exchange -> {
            String key = exchange.request().headers().get(settings.header());
            return completed(key == null ? AuthResult.absent()
                    : keys.containsKey(key) ? AuthResult.authenticated(new Principal(keys.get(key), name(), Map.of()))
                    : AuthResult.denied(Response.text(401, "unknown API key\n")));
        };
    }

    private static CompletionStage<AuthResult> completed(AuthResult result) {
        return CompletableFuture.completedFuture(result);
    }
}
