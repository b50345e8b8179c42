package io.portico.core.plugin;

/**
 * A plugin that could not be loaded, started, or whose extensions could not be created. Portico
 * keeps running without it, and names it when a configuration asks for an extension that no loaded
 * plugin provides.
 *
 * @param plugin the plugin's id, or its file name when the file could not be read as a plugin
 * @param reason what went wrong
 */
public record PluginFailure(String plugin, String reason) {

    @Override
    public String toString() {
        return plugin + ": " + reason;
    }
}
