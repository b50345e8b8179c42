package io.portico.core.distribution;

import io.portico.core.distribution.DistributionDescriptor.Base;
import io.portico.core.distribution.InstallationManifest.Artifact;
import io.portico.core.plugin.PluginApiVersion;
import io.portico.core.plugin.PluginInfo;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Builds a custom distribution: a copy of the running installation (its launcher, libraries,
 * configuration, filters and licences, and the plugins its {@link Base} keeps), with the plugins a
 * {@link DistributionDescriptor} names, packed as a {@code .tar.gz}.
 *
 * <pre>{@code
 * Result result = DistributionBuilder.build(Path.of("/opt/portico"), descriptor, Path.of("acme-edge.yaml"),
 *         Path.of("acme-edge.tar.gz"), System.out::println);
 * }</pre>
 *
 * <p>Every plugin passes {@link PluginChecks} first: it is a PF4J plugin, its {@code
 * Plugin-Requires} admits this core, its id is not taken by another of the descriptor's plugins,
 * and all of the distribution's plugins load and start together. A plugin of the descriptor
 * replaces a base plugin with the same id (that is how a curated plugin is upgraded). Nothing is
 * written to the output before every check has passed.
 *
 * <p>The distribution's {@code MANIFEST.txt} names it, lists its plugins (with where each came
 * from), libraries and runtime; {@code THIRD-PARTY.txt} and {@code licenses/} are the
 * installation's, since the libraries are the same.
 */
public final class DistributionBuilder {

    /** The plugins the minimal distribution ships. */
    static final Set<String> MINIMAL_PLUGINS = Set.of("portico-balancers");

    /** What the installation holds that a distribution copies as it is (conf/ and plugins/ are chosen). */
    private static final List<String> COPIED = List.of("bin", "lib", "filters", "licenses", "LICENSE", "README",
            "THIRD-PARTY.txt");

    private DistributionBuilder() {
    }

    /**
     * What was built.
     *
     * @param archive the {@code .tar.gz}
     * @param archiveBytes its size
     * @param plugins the distribution's plugins, as loaded by the check
     * @param runtimeModules the modules of the bundled runtime; empty without one
     * @param runtimeBytes the unpacked size of the bundled runtime; 0 without one
     */
    public record Result(Path archive, long archiveBytes, List<PluginInfo> plugins, Set<String> runtimeModules,
            long runtimeBytes) {
    }

    /**
     * Builds the distribution {@code descriptor} describes from {@code installation} into {@code output}.
     *
     * @param installation the installation to copy ({@code PORTICO_HOME})
     * @param descriptorFile the descriptor's file: relative paths in it are relative to its directory
     * @param output the archive to write, ending in {@code .tar.gz}; its name without that suffix
     *     is the archive's top directory
     * @param progress receives a line per step
     * @throws DistributionException when a plugin is refused, a file is missing, or a tool fails
     */
    public static Result build(Path installation, DistributionDescriptor descriptor, Path descriptorFile, Path output,
            Consumer<String> progress) {
        String top = topDirectory(output);
        if (!Files.isDirectory(installation.resolve("lib")) || !Files.isRegularFile(installation.resolve("bin/portico"))) {
            throw new DistributionException(installation + " is not a Portico installation (no bin/portico and lib/):"
                    + " run `portico dist` with the launcher of an unpacked distribution");
        }
        Path baseDir = descriptorFile.toAbsolutePath().getParent();
        Path work;
        try {
            work = Files.createTempDirectory("portico-dist-");
        } catch (IOException e) {
            throw new DistributionException("cannot create a working directory: " + e, e);
        }
        try {
            Path layout = Files.createDirectory(work.resolve(top));
            List<CheckedPlugin> plugins = plugins(installation, descriptor, baseDir, work, progress);

            progress.accept("laying out " + descriptor.name() + " from " + installation + " (base "
                    + descriptor.base().name().toLowerCase(Locale.ROOT) + ")");
            for (String entry : COPIED) {
                copy(installation.resolve(entry), layout.resolve(entry));
            }
            if (descriptor.base() == Base.INSTALLATION) {
                copy(installation.resolve("jvmci"), layout.resolve("jvmci"));
            }
            Path conf = descriptor.conf() == null ? installation.resolve("conf") : Paths.resolve(baseDir, descriptor.conf());
            if (!Files.isDirectory(conf)) {
                throw new DistributionException("conf: " + conf + " is not a directory");
            }
            copy(conf, layout.resolve("conf"));
            Path pluginsDir = Files.createDirectories(layout.resolve("plugins"));
            for (CheckedPlugin plugin : plugins) {
                Files.copy(plugin.file(), pluginsDir.resolve(plugin.fileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }

            progress.accept("loading the " + plugins.size() + " plugins together, as Portico will");
            List<PluginInfo> loaded = PluginChecks.checkLoad(pluginsDir, Files.createDirectory(work.resolve("check")));
            for (PluginInfo plugin : loaded) {
                progress.accept("  " + plugin.id() + " " + plugin.version() + ": " + String.join(", ", plugin.extensions()));
            }

            Set<String> modules = Set.of();
            long runtimeBytes = 0;
            if (descriptor.jlink()) {
                modules = Jlink.link(layout, Files.createDirectory(work.resolve("jdeps")), progress);
                runtimeBytes = size(layout.resolve("runtime"));
            }
            writeManifest(installation, descriptor, plugins, layout, modules);

            progress.accept("packing " + output);
            Path partial = output.resolveSibling(output.getFileName() + ".partial");
            TarGz.write(layout, top, partial);
            Files.move(partial, output, StandardCopyOption.REPLACE_EXISTING);
            return new Result(output, Files.size(output), loaded, modules, runtimeBytes);
        } catch (IOException e) {
            throw new DistributionException("cannot build the distribution: " + e, e);
        } finally {
            delete(work);
        }
    }

    /** The archive's top directory, from its name; checked before any work, so that a typo fails fast. */
    private static String topDirectory(Path output) {
        String name = output.getFileName().toString();
        if (!name.endsWith(".tar.gz") || name.length() == ".tar.gz".length()) {
            throw new DistributionException("--output: expected a file name ending in .tar.gz, got " + output);
        }
        Path directory = output.toAbsolutePath().getParent();
        if (!Files.isDirectory(directory)) {
            throw new DistributionException("--output: the directory " + directory + " does not exist; create it first");
        }
        return name.substring(0, name.length() - ".tar.gz".length());
    }

    /** The base's plugins, then the descriptor's, each checked; a descriptor plugin replaces a base one with its id. */
    private static List<CheckedPlugin> plugins(Path installation, DistributionDescriptor descriptor, Path baseDir, Path work,
            Consumer<String> progress) throws IOException {
        List<CheckedPlugin> added = new ArrayList<>();
        PluginRepositories repositories = null;
        for (PluginSource source : descriptor.plugins()) {
            CheckedPlugin plugin;
            if (source.jar() != null) {
                plugin = PluginChecks.check(Paths.resolve(baseDir, source.jar()), "jar " + source.jar());
            } else {
                if (repositories == null) {
                    repositories = new PluginRepositories(descriptor.repositories(), baseDir, work.resolve("downloads"));
                }
                PluginRepositories.Found found = repositories.resolve(source.coordinates());
                progress.accept("fetched " + source.coordinates() + " from " + found.location()
                        + (found.sha1Verified() ? " (SHA-1 verified)" : " (no .sha1 published)"));
                plugin = PluginChecks.check(found.file(), "maven " + source.coordinates() + " " + found.location());
            }
            progress.accept("plugin " + plugin.id() + " " + plugin.version() + " (requires plugin-api " + plugin.requires()
                    + "; this core has " + PluginApiVersion.current() + "): ok");
            added.add(plugin);
        }
        PluginChecks.checkDistinct(added);

        Map<String, CheckedPlugin> all = new LinkedHashMap<>();
        for (CheckedPlugin plugin : basePlugins(installation, descriptor.base())) {
            all.put(plugin.id(), plugin);
        }
        for (CheckedPlugin plugin : added) {
            CheckedPlugin replaced = all.remove(plugin.id());
            if (replaced != null) {
                progress.accept("plugin " + plugin.id() + " " + plugin.version() + " replaces the installation's "
                        + replaced.version());
            }
            all.put(plugin.id(), plugin);
        }
        Map<String, CheckedPlugin> byFileName = new LinkedHashMap<>();
        for (CheckedPlugin plugin : all.values()) {
            CheckedPlugin other = byFileName.putIfAbsent(plugin.fileName(), plugin);
            if (other != null) {
                throw new DistributionException("plugins %s (%s) and %s (%s) have the same file name %s; rename one"
                        .formatted(other.id(), other.source(), plugin.id(), plugin.source(), plugin.fileName()));
            }
        }
        return List.copyOf(all.values());
    }

    private static List<CheckedPlugin> basePlugins(Path installation, Base base) throws IOException {
        if (base == Base.MINIMAL && (!Paths.files(installation.resolve("jvmci"), List.of(".jar")).isEmpty()
                || Paths.files(installation.resolve("lib"), List.of(".jar")).stream()
                        .anyMatch(jar -> jar.getFileName().toString().startsWith("portico-js-")))) {
            throw new DistributionException("base: minimal needs an installation without JavaScript filters, but "
                    + installation + " carries them (lib/portico-js, jvmci/): run `portico dist` from the minimal"
                    + " distribution, or use base: installation");
        }
        List<CheckedPlugin> plugins = new ArrayList<>();
        for (Path file : Paths.files(installation.resolve("plugins"), List.of(".jar", ".zip"))) {
            CheckedPlugin plugin = PluginChecks.check(file, "installation plugins/" + file.getFileName());
            if (base == Base.INSTALLATION || MINIMAL_PLUGINS.contains(plugin.id())) {
                plugins.add(plugin);
            }
        }
        return plugins;
    }

    /** The distribution's manifest: its jars as the installation's manifest describes them, then its runtime and the plugins' sources. */
    private static void writeManifest(Path installation, DistributionDescriptor descriptor, List<CheckedPlugin> plugins,
            Path layout, Set<String> modules) throws IOException {
        Optional<InstallationManifest> installed = InstallationManifest.read(installation);
        InstallationManifest manifest = InstallationManifest.scan(layout, descriptor.name(),
                installed.map(InstallationManifest::version).orElseGet(PluginApiVersion::current),
                jar -> installed.map(m -> m.artifact(layout.relativize(jar).toString())).orElseGet(Artifact::unknown));
        List<String> more = new ArrayList<>();
        if (!modules.isEmpty()) {
            more.add("runtime: runtime/ made by jlink of Java %s: %s".formatted(Runtime.version(), String.join(",", modules)));
        }
        for (CheckedPlugin plugin : plugins) {
            more.add("source: %s %s".formatted(plugin.id(), plugin.source()));
        }
        String from = installed.map(InstallationManifest::distribution).orElse("unknown");
        manifest.write(layout, List.of("Built by `portico dist` from a %s installation; the plugins' sources are at the end."
                .formatted(from)), more);
    }

    /** Copies a file or a directory tree, keeping permissions (the launcher stays executable); a missing source is skipped. */
    private static void copy(Path source, Path target) throws IOException {
        if (!Files.exists(source)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path path : walk.toList()) {
                Path to = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(path, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            long total = 0;
            for (Path path : walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                total += Files.size(path);
            }
            return total;
        }
    }

    private static void delete(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException e) throws IOException {
                    Files.delete(directory);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // A leftover temporary directory is not worth failing a finished build for.
        }
    }
}
