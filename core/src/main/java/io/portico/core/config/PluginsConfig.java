package io.portico.core.config;

/**
 * Where plugins come from.
 *
 * @param dir the directory of plugin jars and zips, relative to the config file's directory
 *     (default {@code plugins}); a missing directory means no plugins
 */
public record PluginsConfig(String dir) {

    /** Applies defaults. */
    public PluginsConfig {
        dir = dir == null ? "plugins" : dir;
    }
}
