package io.portico.api.auth;

import io.portico.api.config.ExtensionFactory;

/**
 * Builds the {@link AuthProvider} an auth filter lists: {@code auth: {providers: [{jwt: {...}}]}}.
 *
 * @param <C> the configuration type
 */
public interface AuthProviderFactory<C> extends ExtensionFactory<C, AuthProvider> {
}
