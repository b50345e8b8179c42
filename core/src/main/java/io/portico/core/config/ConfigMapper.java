package io.portico.core.config;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The Jackson mapper that reads Portico's YAML, and the binding of extension settings to an
 * extension's configuration type.
 *
 * <p>The mapper binds records through their canonical constructors, so a record validates itself in
 * its compact constructor. Its rules, which plugin configuration types follow too:
 * <ul>
 *   <li>keys are written in kebab case: the component {@code maxBodySize} is the key
 *       {@code max-body-size};
 *   <li>an unknown key is an error, and so is a key given twice in one map;
 *   <li>{@link java.time.Duration} is written {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h},
 *       {@code 1d}; {@link io.portico.api.config.Size} {@code 512B}, {@code 8KB}, {@code 16MB};
 *       {@link HostPort} {@code 127.0.0.1:8080};
 *   <li>an enum constant is written in any case with {@code -} for {@code _}: {@code epoll},
 *       {@code least-request};
 *   <li>an {@link EndpointConfig} may be a plain address ({@code 127.0.0.1:9001}, weight 1) and a
 *       {@link PathMatch} a plain prefix ({@code /api/});
 *   <li>an {@link ExtensionRef} is a bare name ({@code round-robin}) or a map with one name and its
 *       settings ({@code {jwt: {audience: api}}}), and records its key path in the file;
 *   <li>an empty entry in a list or a map ({@code - }) is an error rather than a {@code null}.
 * </ul>
 */
public final class ConfigMapper {

    private ConfigMapper() {
    }

    /** A new mapper for configuration YAML; it is thread-safe once created. */
    public static ObjectMapper create() {
        return YAMLMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .defaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL))
                .addModule(ConfigDeserializers.module())
                .build();
    }

    /**
     * Binds an extension's settings to its configuration type, such as {@link ExtensionRef#settings()}
     * to {@link io.portico.api.config.ExtensionFactory#configType()}.
     *
     * @param mapper a mapper from {@link #create()}
     * @param node the settings; an empty map for an extension given by name only
     * @param type the configuration type
     * @param file the file the settings come from, for the error
     * @param keyPath the key path of the settings, such as {@code routes[2].filters[1].jwt}
     * @return the bound, validated settings
     * @throws ConfigException naming {@code keyPath}, extended to the failing key, and the problem
     */
    public static <T> T bind(ObjectMapper mapper, JsonNode node, Class<T> type, Path file, String keyPath) {
        try (JsonParser parser = mapper.treeAsTokens(node)) {
            try {
                return mapper.readerFor(type).readValue(parser);
            } catch (JsonProcessingException e) {
                // Translated while the parser is open: the problem describes the value it stopped at.
                throw JacksonProblems.toConfigException(e, file, keyPath);
            }
        } catch (IOException e) {
            // A tree in memory performs no I/O.
            throw new UncheckedIOException(e);
        }
    }
}
