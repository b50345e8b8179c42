package io.portico.core.distribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * An installation's {@code MANIFEST.txt}: which distribution it is, its version, and a line per
 * plugin, library and JVMCI jar it holds, with the version of each:
 *
 * <pre>
 * # What this Portico installation holds: one line per plugin, library and JVMCI jar.
 * distribution: standard
 * version: 0.1.0
 * plugin: portico-balancers 0.1.0 plugins/portico-balancers-0.1.0.jar
 * library: io.netty:netty-codec-http 4.2.18.Final lib/netty-codec-http-4.2.18.Final.jar
 * jvmci: org.graalvm.compiler:compiler 25.0.3 jvmci/compiler-25.0.3.jar
 * </pre>
 *
 * <p>The build of the curated distributions writes it, and so does {@code portico dist}, which
 * reads the installation's to know its libraries and adds lines of its own after the jars
 * ({@code runtime:}, {@code source:}).
 *
 * @param distribution the distribution's name
 * @param version Portico's version
 * @param jars the plugins, then the libraries, then the JVMCI jars, each sorted by file name
 */
public record InstallationManifest(String distribution, String version, List<Jar> jars) {

    /** The manifest's file name in an installation. */
    public static final String FILE = "MANIFEST.txt";

    /** What a jar is to the installation, by the directory it is in. */
    public enum Kind {
        /** A plugin jar or zip in {@code plugins/}, named by its plugin id. */
        PLUGIN("plugin", "plugins"),
        /** A jar of the class path, in {@code lib/}, named by its Maven coordinates. */
        LIBRARY("library", "lib"),
        /** A jar of the Graal compiler, in {@code jvmci/}, named by its Maven coordinates. */
        JVMCI("jvmci", "jvmci");

        private final String label;
        private final String folder;

        Kind(String label, String folder) {
            this.label = label;
            this.folder = folder;
        }

        /** The directory of the installation that holds this kind of jar. */
        public String folder() {
            return folder;
        }
    }

    /**
     * What a jar is: a plugin's id or a library's {@code groupId:artifactId}, and its version.
     *
     * @param name the plugin id, or {@code groupId:artifactId}
     * @param version the plugin's or the library's version
     */
    public record Artifact(String name, String version) {

        /** For a jar whose origin cannot be told. */
        public static Artifact unknown() {
            return new Artifact("unknown", "unknown");
        }
    }

    /**
     * One line of the manifest.
     *
     * @param kind plugin, library or JVMCI jar
     * @param artifact what the jar is
     * @param path where it lies in the installation, such as {@code lib/netty-buffer-4.2.18.Final.jar}
     */
    public record Jar(Kind kind, Artifact artifact, String path) {

        String line() {
            return "%s: %s %s %s".formatted(kind.label, artifact.name(), artifact.version(), path);
        }
    }

    /**
     * Describes the installation laid out in {@code home}: each file of {@code plugins/} by its PF4J
     * descriptor (which must {@linkplain PluginChecks#check admit this core}), each jar of {@code lib/}
     * and {@code jvmci/} by {@code artifacts}.
     *
     * @param artifacts what a library or JVMCI jar is, from the jar itself or where it came from
     * @throws DistributionException when a file of {@code plugins/} is not a plugin for this core
     */
    public static InstallationManifest scan(Path home, String distribution, String version,
            Function<Path, Artifact> artifacts) {
        List<Jar> jars = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            for (Path file : Paths.files(home.resolve(kind.folder), kind == Kind.PLUGIN ? List.of(".jar", ".zip") : List.of(".jar"))) {
                String path = kind.folder + "/" + file.getFileName();
                Artifact artifact;
                if (kind == Kind.PLUGIN) {
                    CheckedPlugin plugin = PluginChecks.check(file, path);
                    artifact = new Artifact(plugin.id(), plugin.version());
                } else {
                    artifact = artifacts.apply(file);
                }
                jars.add(new Jar(kind, artifact, path));
            }
        }
        return new InstallationManifest(distribution, version, List.copyOf(jars));
    }

    /**
     * Reads the manifest of the installation {@code home}, if it has one. Lines other than the
     * distribution, the version and the jars are skipped.
     *
     * @throws DistributionException when the file cannot be read
     */
    public static Optional<InstallationManifest> read(Path home) {
        Path file = home.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new DistributionException("cannot read " + file + ": " + e, e);
        }
        String distribution = "unknown";
        String version = "unknown";
        List<Jar> jars = new ArrayList<>();
        for (String line : lines) {
            int colon = line.indexOf(": ");
            if (line.startsWith("#") || colon < 0) {
                continue;
            }
            String key = line.substring(0, colon);
            String value = line.substring(colon + 2);
            switch (key) {
                case "distribution" -> distribution = value;
                case "version" -> version = value;
                default -> {
                    String[] fields = value.split(" ");
                    for (Kind kind : Kind.values()) {
                        if (kind.label.equals(key) && fields.length == 3) {
                            jars.add(new Jar(kind, new Artifact(fields[0], fields[1]), fields[2]));
                        }
                    }
                }
            }
        }
        return Optional.of(new InstallationManifest(distribution, version, List.copyOf(jars)));
    }

    /** What the jar at {@code path} (such as {@code lib/netty-buffer-4.2.18.Final.jar}) is, or {@link Artifact#unknown()}. */
    public Artifact artifact(String path) {
        return jars.stream().filter(jar -> jar.path().equals(path)).map(Jar::artifact).findFirst().orElseGet(Artifact::unknown);
    }

    /**
     * Writes the manifest into {@code home}.
     *
     * @param comments lines of explanation after the first, without their {@code #}
     * @param more lines after the jars, such as {@code source: ...}
     */
    public void write(Path home, List<String> comments, List<String> more) throws IOException {
        StringBuilder text = new StringBuilder("# What this Portico installation holds: one line per plugin, library and JVMCI jar.\n");
        comments.forEach(comment -> text.append("# ").append(comment).append('\n'));
        text.append("distribution: ").append(distribution).append('\n');
        text.append("version: ").append(version).append('\n');
        jars.forEach(jar -> text.append(jar.line()).append('\n'));
        more.forEach(line -> text.append(line).append('\n'));
        Files.writeString(home.resolve(FILE), text);
    }
}
