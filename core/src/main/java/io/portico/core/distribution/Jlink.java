package io.portico.core.distribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Makes the Java runtime a distribution ships in {@code runtime/}, with the {@code jlink} of the
 * JDK that runs Portico, so that the target machine needs no Java of its own.
 *
 * <p>The runtime holds the modules that {@code jdeps --print-module-deps} finds the distribution's
 * libraries and plugins (jars, and the {@code lib/} jars of plugin zips) to use, plus {@link
 * #ALWAYS} for what is only reached by reflection or service lookup; with {@code jvmci/}, also
 * {@code jdk.internal.vm.ci} for the Graal compiler. It is stripped of debug information, header
 * files and man pages, and compressed.
 */
public final class Jlink {

    /**
     * Modules the runtime always holds: elliptic-curve TLS, the zip file system, DNS name-server
     * lookup, {@code sun.misc.Unsafe} for Netty, and the platform MXBeans.
     */
    public static final Set<String> ALWAYS = Set.of("jdk.crypto.ec", "jdk.zipfs", "jdk.naming.dns", "jdk.unsupported",
            "jdk.management");

    private static final long TIMEOUT_MINUTES = 10;

    private Jlink() {
    }

    /**
     * Writes a runtime for the distribution laid out in {@code home} into {@code home/runtime}.
     *
     * @param scratch an empty directory for the jars of plugin zips
     * @param progress receives a line per step
     * @return the modules the runtime holds
     * @throws DistributionException when this Java has no {@code jlink} (it is not a JDK) or a tool fails
     */
    public static Set<String> link(Path home, Path scratch, Consumer<String> progress) {
        Path jdk = jdk();
        Path jlink = jdk.resolve("bin/jlink");
        Path jdeps = jdk.resolve("bin/jdeps");
        List<Path> jars = new ArrayList<>(Paths.files(home.resolve("lib"), List.of(".jar")));
        jars.addAll(pluginJars(home.resolve("plugins"), scratch));

        progress.accept("finding the Java modules of " + jars.size() + " jars with jdeps");
        List<String> command = new ArrayList<>(List.of(jdeps.toString(), "--print-module-deps", "--ignore-missing-deps",
                "--multi-release", String.valueOf(Runtime.version().feature())));
        jars.forEach(jar -> command.add(jar.toString()));
        Set<String> modules = new TreeSet<>(ALWAYS);
        // The module list is the last line; warnings, if any, come before it.
        String printed = run(command, "jdeps").strip();
        for (String module : printed.substring(printed.lastIndexOf('\n') + 1).split(",")) {
            if (!module.isBlank()) {
                modules.add(module.strip());
            }
        }
        if (!Paths.files(home.resolve("jvmci"), List.of(".jar")).isEmpty()) {
            modules.add("jdk.internal.vm.ci");
        }

        progress.accept("linking a runtime of " + modules.size() + " modules with jlink");
        run(List.of(jlink.toString(), "--add-modules", String.join(",", modules), "--strip-debug", "--no-header-files",
                "--no-man-pages", "--compress=zip-9", "--output", home.resolve("runtime").toString()), "jlink");
        return modules;
    }

    /**
     * The Java running Portico when it is a JDK, else {@code JAVA_HOME}'s: a distribution with its
     * own runtime runs on it, and a jlinked runtime has no jlink.
     */
    private static Path jdk() {
        Path running = Path.of(System.getProperty("java.home"));
        String javaHome = System.getenv("JAVA_HOME");
        for (Path candidate : javaHome == null ? List.of(running) : List.of(running, Path.of(javaHome))) {
            if (Files.isExecutable(candidate.resolve("bin/jlink")) && Files.isExecutable(candidate.resolve("bin/jdeps"))) {
                return candidate;
            }
        }
        throw new DistributionException("jlink: true needs a JDK, but neither the Java running Portico (" + running
                + ") nor JAVA_HOME (" + (javaHome == null ? "not set" : javaHome) + ") has bin/jlink and bin/jdeps:"
                + " set JAVA_HOME to a JDK " + Runtime.version().feature());
    }

    /** The plugin jars, and the jars in the {@code lib/} of each plugin zip, extracted into {@code scratch}. */
    private static List<Path> pluginJars(Path plugins, Path scratch) {
        List<Path> found = new ArrayList<>(Paths.files(plugins, List.of(".jar")));
        try {
            for (Path zip : Paths.files(plugins, List.of(".zip"))) {
                Path target = Files.createDirectories(scratch.resolve(zip.getFileName().toString()));
                try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
                    for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                        String name = entry.getName();
                        if (name.startsWith("lib/") && name.endsWith(".jar") && name.indexOf('/', 4) < 0) {
                            Path jar = target.resolve(name.substring(4));
                            Files.copy(in, jar);
                            found.add(jar);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new DistributionException("cannot read the plugin zips of " + plugins + ": " + e, e);
        }
        return found;
    }

    /** Runs {@code command}; its standard output, or a failure with everything it printed. */
    private static String run(List<String> command, String name) {
        try {
            Path output = Files.createTempFile("portico-" + name, ".out");
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
                if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new DistributionException(name + " did not finish within " + TIMEOUT_MINUTES + " minutes");
                }
                String printed = Files.readString(output);
                if (process.exitValue() != 0) {
                    throw new DistributionException(name + " failed (exit status " + process.exitValue() + "):\n" + printed.strip());
                }
                return printed;
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new DistributionException("cannot run " + command.getFirst() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DistributionException("interrupted while running " + name, e);
        }
    }
}
