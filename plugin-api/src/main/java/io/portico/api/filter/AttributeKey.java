package io.portico.api.filter;

import java.util.Objects;

/**
 * The typed name of an {@linkplain Exchange#attribute(AttributeKey) exchange attribute}.
 *
 * <p>Two keys with the same name address the same attribute; declare each key once as a
 * constant. Names are dotted and lower case, prefixed by their owner ({@code auth.principal},
 * {@code geo.country}); JavaScript filters read attributes by these names.
 *
 * @param name the attribute name
 * @param type the type of the values
 * @param <T> the type of the values
 */
public record AttributeKey<T>(String name, Class<T> type) {

    /** The id given to each request ({@code X-Request-Id} when the client sent one). */
    public static final AttributeKey<String> REQUEST_ID = of("request.id", String.class);

    /** Validates the key. */
    public AttributeKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (name.isBlank()) {
            throw new IllegalArgumentException("an attribute name cannot be blank");
        }
    }

    /** A key named {@code name} for values of {@code type}. */
    public static <T> AttributeKey<T> of(String name, Class<T> type) {
        return new AttributeKey<>(name, type);
    }
}
