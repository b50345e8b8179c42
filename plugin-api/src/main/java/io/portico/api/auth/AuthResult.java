package io.portico.api.auth;

import io.portico.api.http.Response;
import java.util.Objects;

/**
 * What an {@link AuthProvider} concluded.
 *
 * @param principal who the client is, when authenticated
 * @param challenge the response to send when denied ({@code 401} with {@code WWW-Authenticate},
 *     or {@code 403})
 */
public record AuthResult(Principal principal, Response challenge) {

    private static final AuthResult ABSENT = new AuthResult(null, null);

    /** The request carries no credentials of this provider's kind: ask the next provider. */
    public static AuthResult absent() {
        return ABSENT;
    }

    /** The credentials are valid and identify {@code principal}. */
    public static AuthResult authenticated(Principal principal) {
        return new AuthResult(Objects.requireNonNull(principal, "principal"), null);
    }

    /** The credentials are invalid: answer with {@code challenge}. */
    public static AuthResult denied(Response challenge) {
        return new AuthResult(null, Objects.requireNonNull(challenge, "challenge"));
    }

    /** Whether the provider found no credentials of its kind. */
    public boolean isAbsent() {
        return principal == null && challenge == null;
    }
}
