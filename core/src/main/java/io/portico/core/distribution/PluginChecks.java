package io.portico.core.distribution;

import io.portico.core.plugin.PluginApiVersion;
import io.portico.core.plugin.PluginFailure;
import io.portico.core.plugin.PluginHost;
import io.portico.core.plugin.PluginInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.ZipFile;
import org.pf4j.CompoundPluginDescriptorFinder;
import org.pf4j.DefaultVersionManager;
import org.pf4j.ManifestPluginDescriptorFinder;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginDescriptorFinder;
import org.pf4j.PropertiesPluginDescriptorFinder;

/**
 * The checks a plugin passes before it goes into a distribution, the same ones Portico applies
 * when it loads plugins: the file is a PF4J plugin (a jar with {@code Plugin-Id} and {@code
 * Plugin-Version} in its manifest, or a zip with {@code plugin.properties}); its {@code
 * Plugin-Requires} range admits this core's {@linkplain PluginApiVersion plugin API version}; no two
 * plugins share an id; and, all together, they load, start and create their extensions in a {@link
 * PluginHost}.
 */
public final class PluginChecks {

    private static final PluginDescriptorFinder DESCRIPTORS = new CompoundPluginDescriptorFinder()
            .add(new PropertiesPluginDescriptorFinder())
            .add(new ManifestPluginDescriptorFinder());

    private PluginChecks() {
    }

    /**
     * Reads the descriptor of {@code file} and checks its {@code Plugin-Requires}.
     *
     * @param source where the file came from, as the manifest and messages name it
     * @throws DistributionException when the file is not a plugin, or requires another plugin API
     */
    public static CheckedPlugin check(Path file, String source) {
        if (!Files.isRegularFile(file)) {
            throw new DistributionException(source + ": no such file " + file);
        }
        try {
            new ZipFile(file.toFile()).close();
        } catch (IOException e) {
            throw new DistributionException(source + ": " + file + " is not a jar or zip file: " + e.getMessage(), e);
        }
        PluginDescriptor descriptor;
        try {
            descriptor = DESCRIPTORS.find(file);
        } catch (RuntimeException e) {
            descriptor = null;
        }
        if (descriptor == null || isBlank(descriptor.getPluginId()) || isBlank(descriptor.getVersion())) {
            throw new DistributionException(source + ": " + file.getFileName() + " is not a PF4J plugin: a plugin jar"
                    + " names itself with Plugin-Id and Plugin-Version in its manifest, a plugin zip with plugin.id and"
                    + " plugin.version in plugin.properties");
        }
        String requires = isBlank(descriptor.getRequires()) ? "*" : descriptor.getRequires().trim();
        String id = descriptor.getPluginId();
        String core = PluginApiVersion.current();
        boolean compatible;
        try {
            compatible = new DefaultVersionManager().checkVersionConstraint(core, requires);
        } catch (RuntimeException e) {
            throw new DistributionException("plugin %s: Plugin-Requires '%s' is not a version range such as >=0.1.0 & <0.2.0"
                    .formatted(id, requires), e);
        }
        if (!compatible) {
            throw new DistributionException("plugin %s requires plugin-api %s, this core has %s".formatted(id, requires, core));
        }
        return new CheckedPlugin(id, descriptor.getVersion(), requires, file, source);
    }

    /**
     * Refuses two plugins with one id.
     *
     * @throws DistributionException naming the id and both sources
     */
    public static void checkDistinct(List<CheckedPlugin> plugins) {
        Map<String, CheckedPlugin> byId = new HashMap<>();
        for (CheckedPlugin plugin : plugins) {
            CheckedPlugin other = byId.putIfAbsent(plugin.id(), plugin);
            if (other != null) {
                throw new DistributionException("plugin id %s is given twice: by %s (%s) and by %s (%s); a distribution"
                        .formatted(plugin.id(), other.source(), other.version(), plugin.source(), plugin.version())
                        + " holds one plugin per id");
            }
        }
    }

    /**
     * Loads and starts every plugin of {@code pluginsDir} in a {@link PluginHost}, as Portico would,
     * in a scratch copy of the directory (loading unpacks zips next to them).
     *
     * @param scratch an empty directory to copy the plugins into
     * @return the loaded plugins, with the extensions each provides
     * @throws DistributionException listing every plugin that failed, and why
     */
    public static List<PluginInfo> checkLoad(Path pluginsDir, Path scratch) {
        try (var files = Files.list(pluginsDir)) {
            for (Path file : files.toList()) {
                Files.copy(file, scratch.resolve(file.getFileName()));
            }
        } catch (IOException e) {
            throw new DistributionException("cannot copy " + pluginsDir + " to " + scratch + ": " + e, e);
        }
        try (PluginHost host = PluginHost.load(scratch)) {
            if (!host.failures().isEmpty()) {
                throw new DistributionException("plugins that do not work with this core:\n  " + host.failures().stream()
                        .map(PluginFailure::toString).collect(Collectors.joining("\n  ")));
            }
            return host.plugins();
        }
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }
}
