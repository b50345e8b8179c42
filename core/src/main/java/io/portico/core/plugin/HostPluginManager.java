package io.portico.core.plugin;

import java.nio.file.Path;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginWrapper;

/**
 * PF4J's default manager, opened up so that {@link PluginHost} loads each file itself and learns
 * which ones fail, instead of PF4J logging the failure and moving on.
 */
final class HostPluginManager extends DefaultPluginManager {

    HostPluginManager(Path pluginsDir) {
        super(pluginsDir);
        // A plugin whose dependencies are missing is dropped instead of failing every plugin.
        setResolveRecoveryStrategy(ResolveRecoveryStrategy.IGNORE_PLUGIN_AND_CONTINUE);
        // Plugin-Requires is checked against this; PF4J disables a plugin whose range excludes it.
        setSystemVersion(PluginApiVersion.current());
    }

    /** Whether the plugin API version {@code plugin} requires is the one provided. */
    boolean isCompatible(PluginWrapper plugin) {
        return isPluginValid(plugin);
    }

    /** Loads one jar or zip (a zip is unpacked next to it first). */
    PluginWrapper load(Path file) {
        return loadPluginFromPath(file);
    }

    /** Resolves the dependencies between the loaded plugins. */
    void resolve() {
        resolvePlugins();
    }
}
