package io.portico.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Objects;

/**
 * A reference to an extension by name, with its still unbound settings: the YAML {@code
 * round-robin}, {@code {round-robin: {}}} or {@code {jwt: {audience: api}}}. Settings are bound to
 * the extension's config type once the plugins are loaded and the name is resolved.
 *
 * @param name the extension's name
 * @param settings the settings (an empty object when none were given)
 * @param path the key path of the reference in the file, such as {@code routes[2].filters[1]}
 */
public record ExtensionRef(String name, JsonNode settings, String path) {

    /** Validates; missing settings become an empty object. */
    public ExtensionRef {
        Objects.requireNonNull(name, "name");
        settings = settings == null || settings.isNull() ? JsonNodeFactory.instance.objectNode() : settings;
        path = path == null ? "" : path;
    }

    /** A reference with no settings. */
    public static ExtensionRef of(String name, String path) {
        return new ExtensionRef(name, null, path);
    }

    /** The path of the settings: {@code routes[2].filters[1].jwt}. */
    public String settingsPath() {
        return path.isEmpty() ? name : path + "." + name;
    }
}
