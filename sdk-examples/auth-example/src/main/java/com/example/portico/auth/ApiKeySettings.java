package com.example.portico.auth;

import java.util.Map;

/**
 * The settings of the {@code api-key} auth provider and of the {@code api-key-auth} filter.
 *
 * <pre>{@code
 * {header: x-api-key, keys: {k3y-for-alice: alice, k3y-for-bob: bob}}
 * }</pre>
 *
 * @param header the request header carrying the key (default {@code x-api-key})
 * @param keys each accepted key, with the name of the client it identifies; at least one
 */
public record ApiKeySettings(String header, Map<String, String> keys) {

    /** Applies the default header and checks there are keys. */
    public ApiKeySettings {
        header = header == null ? "x-api-key" : header;
        if (keys == null || keys.isEmpty()) {
            throw new IllegalArgumentException("expected 'keys': each accepted API key with the client it names");
        }
        keys = Map.copyOf(keys);
    }
}
