package io.portico.core.plugin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.portico.core.config.ConfigException;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * A binder on plain Jackson with kebab-case names that reports the key below {@code keyPath} that
 * failed, standing in for the configuration's own binder in these tests.
 */
final class JacksonSettingsBinder implements SettingsBinder {

    private final JsonMapper mapper = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    @Override
    public Object bind(JsonNode settings, Class<?> type, Path file, String keyPath) {
        try {
            return mapper.treeToValue(settings, type);
        } catch (JsonMappingException e) {
            String below = e.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining());
            String problem = e.getCause() instanceof IllegalArgumentException invalid
                    ? invalid.getMessage()
                    : e.getOriginalMessage();
            throw new ConfigException(file, keyPath + below, problem);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }
}
