package io.portico.core.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads Portico's YAML configuration file into a {@link PorticoConfig}, with defaults applied and
 * checked, or fails with a {@link ConfigException} that names the file, the key path and what was
 * expected:
 *
 * <pre>{@code
 * portico.yaml: routes[2].upstream: unknown upstream 'nope'; defined: api, static
 * portico.yaml: upstreams.api.connect-timeout: expected a duration such as 250ms, 5s, 2m or 1h, got 'fast'
 * portico.yaml: server: unknown key 'idle'; expected one of: event-loops, header-timeout, ...
 * }</pre>
 *
 * <p>Beyond what each record checks, the loader requires at least one listener, distinct listener
 * addresses, distinct route names, and that every route names a defined upstream. Extension names
 * are not resolved here: that needs the plugins. An unnamed route is named {@code routes[i]}, and a
 * route without {@code max-body-size} gets {@code server.max-body-size}.
 */
public final class ConfigLoader {

    private static final ObjectMapper MAPPER = ConfigMapper.create();

    private ConfigLoader() {
    }

    /**
     * Loads a configuration file; an empty file gives every default (and no routes).
     *
     * @throws ConfigException when the file cannot be read or its content is not a valid configuration
     */
    public static PorticoConfig load(Path file) {
        String yaml;
        try {
            yaml = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(file, "", "cannot read: " + reason(e));
        }
        return parse(yaml, file);
    }

    /**
     * Parses configuration YAML as if it had been read from {@code pretendFile}.
     *
     * @param pretendFile the file named in errors, or {@code null}
     * @throws ConfigException when the content is not a valid configuration
     */
    public static PorticoConfig parse(String yaml, Path pretendFile) {
        PorticoConfig config;
        try (JsonParser parser = MAPPER.createParser(yaml)) {
            try {
                config = parser.nextToken() == null ? null : MAPPER.readValue(parser, PorticoConfig.class);
                if (parser.nextToken() != null) {
                    throw new ConfigException(pretendFile, "", "line " + parser.currentLocation().getLineNr()
                            + ": expected one YAML document, found another");
                }
            } catch (JsonProcessingException e) {
                // Translated while the parser is open: the problem describes the value it stopped at.
                throw JacksonProblems.toConfigException(e, pretendFile, "");
            }
        } catch (IOException e) {
            // Reading from a string performs no I/O.
            throw new UncheckedIOException(e);
        }
        if (config == null) {
            config = new PorticoConfig(null, null, null, null, null, null, null, null, null);
        }
        return ConfigChecks.check(config, pretendFile);
    }

    private static String reason(IOException e) {
        return switch (e) {
            case NoSuchFileException n -> "no such file";
            case AccessDeniedException a -> "permission denied";
            case MalformedInputException m -> "not UTF-8 text";
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
    }
}
