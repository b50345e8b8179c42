package io.portico.core;

import io.portico.core.plugin.ExtensionKind;
import io.portico.core.plugin.FoundExtension;
import io.portico.core.plugin.PluginApiVersion;
import io.portico.core.plugin.PluginFailure;
import io.portico.core.plugin.PluginHost;
import io.portico.core.plugin.PluginInfo;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code portico plugins}: what the plugins directory holds, as Portico would load it.
 *
 * <pre>
 * plugin API 0.1.0; plugins directory /opt/portico/plugins
 *
 * portico-balancers 0.1.0-SNAPSHOT STARTED (portico-balancers-0.1.0-SNAPSHOT.jar)
 *   balancer maglev
 *   balancer round-robin
 *
 * built in (application class path)
 *   balancer sequential
 *
 * failures
 *   from-the-future: needs plugin API &gt;=9.0.0, but this Portico provides plugin API 0.1.0
 * </pre>
 *
 * <p>Each plugin is listed with its id, version, state and file, then the extensions it provides
 * (kind and the name a configuration refers to it by); then the extensions of the application
 * class path; then the plugins that failed and why. Listing is not serving: a plugin that fails is
 * reported and the command still succeeds.
 */
public final class PluginsCommand {

    private PluginsCommand() {
    }

    /**
     * Loads the plugins of {@code pluginsDir}, prints them to {@code out} and unloads them.
     *
     * @return the exit status: 0
     */
    public static int run(Path pluginsDir, PrintStream out) {
        try (PluginHost host = PluginHost.load(pluginsDir)) {
            out.printf("plugin API %s; plugins directory %s%n", PluginApiVersion.current(), pluginsDir);
            if (host.plugins().isEmpty()) {
                out.printf("%nno plugins installed%n");
            }
            for (PluginInfo plugin : host.plugins()) {
                out.printf("%n%s %s %s (%s)%n", plugin.id(), plugin.version(), plugin.state(), plugin.file().getFileName());
                plugin.extensions().forEach(extension -> out.printf("  %s%n", extension));
            }
            List<String> builtIn = builtInExtensions(host);
            if (!builtIn.isEmpty()) {
                out.printf("%nbuilt in (application class path)%n");
                builtIn.forEach(extension -> out.printf("  %s%n", extension));
            }
            if (!host.failures().isEmpty()) {
                out.printf("%nfailures%n");
                for (PluginFailure failure : host.failures()) {
                    out.printf("  %s%n", failure);
                }
            }
        }
        out.flush();
        return 0;
    }

    private static List<String> builtInExtensions(PluginHost host) {
        List<String> found = new ArrayList<>();
        for (ExtensionKind<?> kind : ExtensionKind.all()) {
            for (FoundExtension<?> extension : host.extensions(kind)) {
                if (extension.pluginId() == null) {
                    found.add(kind.noun() + " " + extension.name());
                }
            }
        }
        return found;
    }
}
