package io.portico.core.plugin;

import io.portico.api.config.ExtensionContext;
import io.portico.api.config.ExtensionFactory;
import io.portico.core.config.ConfigException;
import io.portico.core.config.ExtensionRef;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The extensions of a {@link PluginHost}, by kind and name: what a configuration's names resolve
 * to.
 *
 * <pre>{@code
 * ExtensionRegistry registry = ExtensionRegistry.of(host, binder);
 * Balancer balancer = registry.create(ExtensionKind.BALANCER, upstream.balancer(), file, configDir);
 * WafRuleSet core = registry.extension(ExtensionKind.WAF_RULE_SET, "core", file, "routes[0].filters[0].waf");
 * }</pre>
 *
 * <p>Every error is a {@link ConfigException} naming the file and key path, and says what was
 * expected: {@code portico.yaml: upstreams.api.balancer: unknown balancer 'least-conn'; available:
 * random, round-robin}. When some plugins failed to load, the message lists them too, as the name
 * may have been meant for one of them.
 *
 * <p>Used at config load only; lookups are map reads and it is immutable, so it may be shared.
 */
public final class ExtensionRegistry {

    private final Map<ExtensionKind<?>, Map<String, FoundExtension<?>>> byKind;
    private final String failedPlugins;
    private final SettingsBinder binder;

    private ExtensionRegistry(Map<ExtensionKind<?>, Map<String, FoundExtension<?>>> byKind,
            String failedPlugins, SettingsBinder binder) {
        this.byKind = byKind;
        this.failedPlugins = failedPlugins;
        this.binder = binder;
    }

    /**
     * Indexes the extensions of {@code host}.
     *
     * @param binder binds extension settings to their config types in {@link #create}
     * @throws ConfigException at key path {@code plugins} when two extensions of one kind share a
     *     name, naming where each comes from
     */
    public static ExtensionRegistry of(PluginHost host, SettingsBinder binder) {
        Map<ExtensionKind<?>, Map<String, FoundExtension<?>>> byKind = new HashMap<>();
        for (ExtensionKind<?> kind : ExtensionKind.all()) {
            Map<String, FoundExtension<?>> byName = new TreeMap<>();
            for (FoundExtension<?> found : host.extensions(kind)) {
                FoundExtension<?> previous = byName.putIfAbsent(found.name(), found);
                if (previous != null) {
                    throw new ConfigException(null, "plugins", "two %ss are named '%s': %s (%s) and %s (%s)".formatted(
                            kind.noun(), found.name(), previous.source(), previous.instance().getClass().getName(),
                            found.source(), found.instance().getClass().getName()));
                }
            }
            byKind.put(kind, Collections.unmodifiableMap(byName));
        }
        String failed = host.failures().stream().map(PluginFailure::toString).collect(Collectors.joining("; "));
        return new ExtensionRegistry(Map.copyOf(byKind), failed, binder);
    }

    /** The names of the extensions of {@code kind}, sorted. */
    public Set<String> names(ExtensionKind<?> kind) {
        return byKind.get(kind).keySet();
    }

    /**
     * The extension of {@code kind} named {@code name}.
     *
     * @param file the configuration file, for the error; may be {@code null}
     * @param keyPath where the name appears in the file, for the error
     * @throws ConfigException when there is none, listing the names there are
     */
    public <E> E extension(ExtensionKind<E> kind, String name, Path file, String keyPath) {
        FoundExtension<?> found = byKind.get(kind).get(name);
        if (found == null) {
            throw new ConfigException(file, keyPath, unknown(kind, name));
        }
        return kind.type().cast(found.instance());
    }

    /**
     * Builds the extension that {@code ref} names: finds the factory, binds the settings to its
     * config type and calls {@link ExtensionFactory#create} with the settings' key path and {@code
     * configDir}.
     *
     * @param file the configuration file, for errors; may be {@code null}
     * @param configDir the directory relative file names in the settings are resolved against
     * @throws ConfigException when the name is unknown (at {@code ref.path()}), or the settings are
     *     invalid (at {@code ref.settingsPath()} or below), or the factory fails
     */
    public <T> T create(ExtensionKind<? extends ExtensionFactory<?, T>> kind, ExtensionRef ref, Path file,
            Path configDir) {
        ExtensionFactory<?, T> factory = extension(kind, ref.name(), file, ref.path());
        return build(kind, factory, ref, file, configDir);
    }

    private <C, T> T build(ExtensionKind<?> kind, ExtensionFactory<C, T> factory, ExtensionRef ref, Path file,
            Path configDir) {
        String at = ref.settingsPath();
        try {
            C config = factory.configType().cast(binder.bind(ref.settings(), factory.configType(), file, at));
            return factory.create(config, new Site(configDir, at));
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file, at, e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            // A defect of the plugin rather than of the configuration: keep the cause for its stack.
            ConfigException failure = new ConfigException(file, at, "the %s '%s' (%s) failed: %s".formatted(
                    kind.noun(), ref.name(), factory.getClass().getName(), PluginHost.describe(e)));
            failure.initCause(e);
            throw failure;
        }
    }

    private String unknown(ExtensionKind<?> kind, String name) {
        Set<String> names = names(kind);
        return "unknown %s '%s'; available: %s%s".formatted(kind.noun(), name,
                names.isEmpty() ? "none" : String.join(", ", names),
                failedPlugins.isEmpty() ? "" : " (plugins that failed to load: " + failedPlugins + ")");
    }

    /** Where an extension is created. */
    private record Site(Path configDirectory, String configPath) implements ExtensionContext {
    }
}
