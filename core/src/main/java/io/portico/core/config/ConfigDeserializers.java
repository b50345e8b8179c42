package io.portico.core.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.portico.api.config.Size;
import java.io.IOException;
import java.io.Serial;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The deserializers behind {@link ConfigMapper}: values written as text ({@code 5s}, {@code 8KB},
 * {@code 127.0.0.1:8080}), shorthands (an endpoint or a path as a plain string), enums in any case,
 * and extension references.
 */
final class ConfigDeserializers {

    private static final Map<Class<?>, Function<String, ?>> SHORTHANDS = Map.of(
            EndpointConfig.class, text -> new EndpointConfig(HostPort.parse(text), null),
            PathMatch.class, PathMatch::prefix);

    private ConfigDeserializers() {
    }

    /** A Jackson module with every deserializer of the configuration. */
    static Module module() {
        SimpleModule module = new SimpleModule("portico-config");
        module.addDeserializer(Duration.class,
                new TextDeserializer<>(Duration.class, Durations::parse, "a duration such as 250ms, 5s, 2m or 1h"));
        module.addDeserializer(Size.class,
                new TextDeserializer<>(Size.class, Size::parse, "a size such as 512B, 8KB, 16MB or 1GB"));
        module.addDeserializer(HostPort.class,
                new TextDeserializer<>(HostPort.class, HostPort::parse, "host:port such as 127.0.0.1:8080"));
        module.addDeserializer(ExtensionRef.class, new ExtensionRefDeserializer());
        module.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public JsonDeserializer<?> modifyDeserializer(
                    DeserializationConfig config, BeanDescription description, JsonDeserializer<?> deserializer) {
                Function<String, ?> shorthand = SHORTHANDS.get(description.getBeanClass());
                return shorthand == null ? deserializer : new ShorthandDeserializer(deserializer, shorthand);
            }

            @Override
            @SuppressWarnings({"unchecked", "rawtypes"})
            public JsonDeserializer<?> modifyEnumDeserializer(
                    DeserializationConfig config, JavaType type, BeanDescription description, JsonDeserializer<?> deserializer) {
                return new EnumDeserializer(type.getRawClass());
            }
        });
        return module;
    }

    /** How the value a parser is at reads in an error message: {@code 'abc'}, {@code a list}. */
    static String describeToken(JsonParser p) throws IOException {
        JsonToken token = p.currentToken();
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_OBJECT, FIELD_NAME -> "a map";
            case START_ARRAY -> "a list";
            case VALUE_NULL -> "nothing";
            case VALUE_STRING -> "'" + p.getText() + "'";
            default -> p.getText();
        };
    }

    /** Applies {@code parse} to the scalar text; its {@link IllegalArgumentException} becomes the problem. */
    private static <T> T parseText(JsonParser p, Function<String, T> parse) throws IOException {
        try {
            return parse.apply(p.getText());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ConfigProblem(p, e.getMessage());
        }
    }

    /** A value written as one scalar, such as {@code 5s}. */
    private static final class TextDeserializer<T> extends StdScalarDeserializer<T> {

        @Serial
        private static final long serialVersionUID = 1L;

        private final transient Function<String, T> parse;
        private final String expected;

        TextDeserializer(Class<T> type, Function<String, T> parse, String expected) {
            super(type);
            this.parse = parse;
            this.expected = expected;
        }

        @Override
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.currentToken().isScalarValue()) {
                throw new ConfigProblem(p, "expected " + expected + ", got " + describeToken(p));
            }
            return parseText(p, parse);
        }
    }

    /** A record that may also be written as a plain string, such as an endpoint's address. */
    private static final class ShorthandDeserializer extends DelegatingDeserializer {

        @Serial
        private static final long serialVersionUID = 1L;

        private final transient Function<String, ?> shorthand;

        ShorthandDeserializer(JsonDeserializer<?> record, Function<String, ?> shorthand) {
            super(record);
            this.shorthand = shorthand;
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> newDelegatee) {
            return new ShorthandDeserializer(newDelegatee, shorthand);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return p.currentToken().isScalarValue() ? parseText(p, shorthand) : super.deserialize(p, ctxt);
        }
    }

    /**
     * An enum constant by its name in any case, with {@code -} for {@code _}: {@code epoll} and
     * {@code EPOLL} are {@code EPOLL}, {@code least-request} is {@code LEAST_REQUEST}.
     */
    private static final class EnumDeserializer<E extends Enum<E>> extends StdScalarDeserializer<E> {

        @Serial
        private static final long serialVersionUID = 1L;

        private final E[] constants;

        EnumDeserializer(Class<E> type) {
            super(type);
            this.constants = type.getEnumConstants();
        }

        @Override
        public E deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken().isScalarValue()) {
                String text = p.getText().trim();
                for (E constant : constants) {
                    if (configName(constant).equalsIgnoreCase(text) || constant.name().equalsIgnoreCase(text)) {
                        return constant;
                    }
                }
            }
            String names = Arrays.stream(constants).map(EnumDeserializer::configName).collect(Collectors.joining(", "));
            throw new ConfigProblem(p, "expected one of " + names + ", got " + describeToken(p));
        }

        private static String configName(Enum<?> constant) {
            return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * An {@link ExtensionRef}: a bare name ({@code round-robin}) or a map with exactly one name and
     * its settings ({@code {jwt: {audience: api}}}). The path is taken from where the parser is.
     */
    private static final class ExtensionRefDeserializer extends JsonDeserializer<ExtensionRef> {

        private static final String EXPECTED = "expected one extension name with its settings, such as {round-robin: {}}";

        @Override
        public ExtensionRef deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String path = KeyPaths.of(p.getParsingContext());
            JsonToken token = p.currentToken();
            if (token == JsonToken.VALUE_STRING) {
                return ExtensionRef.of(p.getText(), path);
            }
            if (token != JsonToken.START_OBJECT) {
                throw new ConfigProblem(p, "expected an extension name such as round-robin, or "
                        + EXPECTED.substring("expected ".length()) + ", got " + describeToken(p));
            }
            JsonNode map = ctxt.readTree(p);
            if (map.size() != 1) {
                String given = map.properties().stream().map(Map.Entry::getKey).collect(Collectors.joining(", "));
                throw new ConfigProblem(p, EXPECTED + ", got " + (given.isEmpty() ? "an empty map" : given));
            }
            Map.Entry<String, JsonNode> entry = map.properties().iterator().next();
            return new ExtensionRef(entry.getKey(), entry.getValue(), path);
        }
    }
}
