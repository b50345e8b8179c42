package io.portico.api.auth;

import io.portico.api.filter.AttributeKey;
import java.util.Map;
import java.util.Objects;

/**
 * An authenticated client: its name, the provider that vouched for it, and what else that
 * provider knows (JWT claims, key labels, certificate fields).
 *
 * @param name the subject: user name, key id, JWT {@code sub}, certificate subject
 * @param provider the name of the provider that authenticated it
 * @param claims further facts, with string keys; values are strings, numbers, booleans or lists
 */
public record Principal(String name, String provider, Map<String, Object> claims) {

    /** The exchange attribute the auth filter stores the principal under. */
    public static final AttributeKey<Principal> ATTRIBUTE = AttributeKey.of("auth.principal", Principal.class);

    /** Validates and copies. */
    public Principal {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(provider, "provider");
        claims = Map.copyOf(claims);
    }
}
