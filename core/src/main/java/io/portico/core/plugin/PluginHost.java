package io.portico.core.plugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.pf4j.PluginRuntimeException;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the plugins of a directory and finds their extensions, along with those on the
 * application classpath.
 *
 * <pre>{@code
 * try (PluginHost host = PluginHost.load(Path.of("plugins"))) {
 *     host.failures().forEach(f -> System.err.println("plugin failed: " + f));
 *     ExtensionRegistry registry = ExtensionRegistry.of(host, binder);
 *     ...
 * }
 * }</pre>
 *
 * <p>Each {@code *.jar} and {@code *.zip} file of the directory is a plugin (hidden files and
 * sub-directories are ignored). A jar carries its PF4J descriptor in its manifest ({@code
 * Plugin-Id}, {@code Plugin-Version}, ...); a zip holds {@code plugin.properties}, {@code classes/}
 * and {@code lib/*.jar}, and is unpacked into a directory next to it. Each plugin gets its own class
 * loader, so two plugins may carry different versions of one library. PF4J's {@code disabled.txt}
 * in the directory lists plugin ids that are not started.
 *
 * <p>A plugin's {@code Plugin-Requires} is a range of plugin API versions (e.g. {@code >=0.1.0
 * & <0.2.0}) checked against {@link PluginApiVersion#current()}; a plugin outside its range is
 * not started, and its failure names both versions.
 *
 * <p>A plugin that cannot be read, started, or whose extensions cannot be created is logged at
 * {@code ERROR}, listed by {@link #failures()}, and left out; the other plugins are unaffected. A
 * missing directory means no plugins. Extensions on the application classpath (listed in its
 * {@code META-INF/extensions.idx}) are always found.
 *
 * <p>A host is built once per load of the configuration and is not thread-safe while loading; once
 * {@link #load} returns, its lists do not change until {@link #close()}.
 */
public final class PluginHost implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PluginHost.class);

    private static final String NO_DESCRIPTOR = "is not a plugin: a plugin jar names itself with Plugin-Id and"
            + " Plugin-Version in its manifest, a plugin zip with plugin.id and plugin.version in plugin.properties";

    private final HostPluginManager manager;
    private final List<PluginFailure> failures = new ArrayList<>();
    private final Map<ExtensionKind<?>, List<FoundExtension<?>>> extensions = new LinkedHashMap<>();
    private final List<PluginInfo> plugins = new ArrayList<>();
    /** Plugins refused for their {@code Plugin-Requires}, already reported. */
    private final Set<String> incompatible = new HashSet<>();

    private PluginHost(Path pluginsDir) {
        this.manager = new HostPluginManager(pluginsDir);
    }

    /**
     * Loads and starts every plugin in {@code pluginsDir}, then creates the extensions of every
     * {@link ExtensionKind} that the started plugins and the application classpath provide.
     *
     * @param pluginsDir the plugins directory; need not exist
     * @throws UncheckedIOException when the directory exists but cannot be listed
     */
    public static PluginHost load(Path pluginsDir) {
        PluginHost host = new PluginHost(pluginsDir);
        host.loadAll(pluginFiles(pluginsDir));
        host.manager.startPlugins();
        host.recordStartFailures();
        host.findExtensions();
        host.describePlugins();
        return host;
    }

    /** The plugins that were found, started or not, in file-name order. */
    public List<PluginInfo> plugins() {
        return Collections.unmodifiableList(plugins);
    }

    /** The plugins that could not be loaded, started or used, in the order they failed. */
    public List<PluginFailure> failures() {
        return Collections.unmodifiableList(failures);
    }

    /** The extensions of {@code kind} from the started plugins and the application classpath. */
    @SuppressWarnings("unchecked") // the lists are filled per kind with instances of that kind
    public <E> List<FoundExtension<E>> extensions(ExtensionKind<E> kind) {
        List<FoundExtension<?>> found = extensions.getOrDefault(kind, List.of());
        return Collections.unmodifiableList((List<FoundExtension<E>>) (List<?>) found);
    }

    /** Stops and unloads every plugin, closing their class loaders. Extensions must not be used after. */
    @Override
    public void close() {
        extensions.clear();
        // Unloading stops each plugin first (PF4J 3.15's stopPlugins() fails on a second plugin).
        for (PluginWrapper plugin : manager.getPlugins()) {
            if (manager.getPlugin(plugin.getPluginId()) != null) {
                manager.unloadPlugin(plugin.getPluginId());
            }
        }
    }

    private static List<Path> pluginFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            log.info("No plugins directory {}: running without plugins", dir);
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(PluginHost::isPluginFileName)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the plugins directory " + dir, e);
        }
    }

    private static boolean isPluginFileName(Path file) {
        String name = file.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        return !name.startsWith(".") && (lower.endsWith(".jar") || lower.endsWith(".zip"));
    }

    private void loadAll(List<Path> files) {
        Map<String, PluginWrapper> loaded = new LinkedHashMap<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            String unreadable = unreadable(file);
            if (unreadable != null) {
                fail(name, "is not a valid jar or zip file: " + unreadable);
                continue;
            }
            try {
                PluginWrapper plugin = manager.load(file);
                if (!manager.isCompatible(plugin)) {
                    incompatible.add(plugin.getPluginId());
                    fail(plugin.getPluginId(), "needs plugin API %s, but this Portico provides plugin API %s".formatted(
                            plugin.getDescriptor().getRequires(), PluginApiVersion.current()));
                }
                loaded.put(plugin.getPluginId(), plugin);
            } catch (RuntimeException | LinkageError e) {
                // PF4J says "No PluginDescriptorFinder for plugin ..." when no descriptor was found.
                boolean noDescriptor = String.valueOf(e.getMessage()).startsWith("No PluginDescriptorFinder");
                fail(name, noDescriptor ? NO_DESCRIPTOR : "cannot be loaded: " + describe(e));
            }
        }
        try {
            manager.resolve();
        } catch (RuntimeException e) {
            // Only a dependency cycle gets here: none of the plugins can be started.
            for (PluginWrapper plugin : manager.getUnresolvedPlugins()) {
                fail(plugin.getPluginId(), "cannot be resolved: " + describe(e));
            }
        }
        for (PluginWrapper plugin : loaded.values()) {
            if (manager.getPlugin(plugin.getPluginId()) == null) {
                fail(plugin.getPluginId(), "needs plugins that are missing or of the wrong version: "
                        + plugin.getDescriptor().getDependencies().stream()
                                .map(d -> d.getPluginId() + " " + d.getPluginVersionSupport())
                                .collect(Collectors.joining(", ")));
            }
        }
    }

    /** Why {@code file} cannot be opened as a zip (which a jar is), or {@code null} when it can. */
    private static String unreadable(Path file) {
        try {
            new ZipFile(file.toFile()).close();
            return null;
        } catch (IOException e) {
            return describe(e);
        }
    }

    private void recordStartFailures() {
        for (PluginWrapper plugin : manager.getPlugins()) {
            Throwable failure = plugin.getFailedException();
            if (failure != null && plugin.getPluginState() != PluginState.STARTED
                    && !incompatible.contains(plugin.getPluginId())) {
                fail(plugin.getPluginId(), "cannot be started: " + describe(failure));
            }
        }
    }

    private void findExtensions() {
        for (ExtensionKind<?> kind : ExtensionKind.all()) {
            extensions.put(kind, new ArrayList<>());
        }
        collect(null);
        for (PluginWrapper plugin : manager.getStartedPlugins().toArray(PluginWrapper[]::new)) {
            collect(plugin.getPluginId());
        }
    }

    /** Adds the extensions of one source, all or none: a source that fails is stopped. */
    private void collect(String pluginId) {
        Map<ExtensionKind<?>, List<FoundExtension<?>>> found = new LinkedHashMap<>();
        try {
            for (ExtensionKind<?> kind : ExtensionKind.all()) {
                found.put(kind, find(kind, pluginId));
            }
        } catch (RuntimeException | LinkageError e) {
            String source = pluginId == null ? "application classpath" : pluginId;
            fail(source, "cannot create its extensions: " + describe(e) + hintFor(e));
            if (pluginId != null) {
                manager.stopPlugin(pluginId);
            }
            return;
        }
        found.forEach((kind, list) -> extensions.get(kind).addAll(list));
    }

    private <E> List<FoundExtension<?>> find(ExtensionKind<E> kind, String pluginId) {
        List<FoundExtension<?>> found = new ArrayList<>();
        for (E extension : manager.getExtensions(kind.type(), pluginId)) {
            found.add(new FoundExtension<>(kind.nameOf(extension), extension, pluginId));
        }
        return found;
    }

    private void describePlugins() {
        for (PluginWrapper plugin : manager.getPlugins()) {
            List<String> provided = new ArrayList<>();
            extensions.forEach((kind, list) -> list.stream()
                    .filter(e -> plugin.getPluginId().equals(e.pluginId()))
                    .forEach(e -> provided.add(kind.noun() + " " + e.name())));
            var descriptor = plugin.getDescriptor();
            plugins.add(new PluginInfo(plugin.getPluginId(), descriptor.getVersion(),
                    descriptor.getProvider() == null ? "" : descriptor.getProvider(),
                    plugin.getPluginState(), plugin.getPluginPath(), provided));
        }
        plugins.sort((a, b) -> a.file().compareTo(b.file()));
    }

    private void fail(String plugin, String reason) {
        log.error("Plugin {} {}", plugin, reason);
        failures.add(new PluginFailure(plugin, reason));
    }

    /** The messages along the cause chain, each once: PF4J wraps the useful one. */
    static String describe(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            String type = t.getClass().getSimpleName();
            if (message != null && text.indexOf(message) >= 0 || message == null && text.indexOf(type) >= 0) {
                continue;
            }
            boolean selfExplaining = message != null && (t instanceof PluginRuntimeException || t instanceof IOException);
            text.append(text.isEmpty() ? "" : ": ")
                    .append(selfExplaining ? message : message == null ? type : type + ": " + message);
        }
        return text.toString();
    }

    private static String hintFor(Throwable e) {
        return e instanceof NoClassDefFoundError
                ? " (a library the plugin needs is missing: ship it in the lib/ directory of a plugin zip,"
                        + " or shade it into the jar)"
                : "";
    }
}
