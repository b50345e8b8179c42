package io.portico.api.auth;

import io.portico.api.filter.Exchange;
import java.util.concurrent.CompletionStage;

/**
 * Turns a request's credentials into a {@link Principal}: basic auth, API keys, JWTs, OAuth2
 * introspection, client certificates.
 *
 * <p>The auth filter asks its providers in order. A provider that finds no credentials of its
 * kind answers {@link AuthResult#absent()} and the next one is asked; one that finds credentials
 * decides: {@link AuthResult#authenticated} or {@link AuthResult#denied}. Compare secrets in
 * constant time ({@link java.security.MessageDigest#isEqual}) and never log them.
 *
 * <p>Called on the event loop: return a stage that completes later for anything that waits
 * (fetching keys, calling an auth service). Thread-safe, like every extension.
 */
public interface AuthProvider {

    /** Authenticates the request of {@code exchange}. */
    CompletionStage<AuthResult> authenticate(Exchange exchange);
}
