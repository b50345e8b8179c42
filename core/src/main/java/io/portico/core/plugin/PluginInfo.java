package io.portico.core.plugin;

import java.nio.file.Path;
import java.util.List;
import org.pf4j.PluginState;

/**
 * What the plugin host knows of one loaded plugin, for logs and the admin API.
 *
 * @param id the plugin's id ({@code Plugin-Id})
 * @param version its version ({@code Plugin-Version})
 * @param provider who made it ({@code Plugin-Provider}), possibly empty
 * @param state {@code STARTED} for a working plugin; {@code FAILED}, {@code STOPPED} or {@code
 *     DISABLED} otherwise (see {@link PluginHost#failures()} for why)
 * @param file the jar or zip it was loaded from
 * @param extensions the extensions it provides, as {@code kind name}: {@code balancer round-robin}
 */
public record PluginInfo(
        String id, String version, String provider, PluginState state, Path file, List<String> extensions) {

    /** Copies the list. */
    public PluginInfo {
        extensions = List.copyOf(extensions);
    }
}
