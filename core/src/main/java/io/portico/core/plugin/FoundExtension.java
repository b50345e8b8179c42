package io.portico.core.plugin;

/**
 * An extension instance found by the plugin host, with its name and where it comes from.
 *
 * @param name the name the configuration refers to it by
 * @param instance the extension
 * @param pluginId the id of the plugin that provides it, or {@code null} for the application
 *     classpath
 * @param <E> the extension point's type
 */
public record FoundExtension<E>(String name, E instance, String pluginId) {

    /** Where the extension comes from, for messages: {@code plugin 'portico-balancers'}. */
    public String source() {
        return pluginId == null ? "the application classpath" : "plugin '" + pluginId + "'";
    }
}
