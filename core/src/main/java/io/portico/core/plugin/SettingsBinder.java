package io.portico.core.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;

/**
 * Binds an extension's settings, as parsed from the configuration, to the extension's config type.
 *
 * <p>Portico's binder applies the rules documented on {@link io.portico.api.config.ExtensionFactory}
 * (kebab-case keys, unknown keys rejected, durations and sizes parsed).
 */
@FunctionalInterface
public interface SettingsBinder {

    /**
     * Binds {@code settings} to {@code type}.
     *
     * @param settings the settings; an empty object when none were given
     * @param type the config type
     * @param file the configuration file, for error messages; may be {@code null}
     * @param keyPath the key path of {@code settings} in the file, such as {@code
     *     upstreams.api.balancer.least-request}
     * @return an instance of {@code type}
     * @throws io.portico.core.config.ConfigException naming the file and the offending key, or
     *     {@link IllegalArgumentException}, which the caller reports at {@code keyPath}
     */
    Object bind(JsonNode settings, Class<?> type, Path file, String keyPath);
}
