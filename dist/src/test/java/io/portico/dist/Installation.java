package io.portico.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Portico installed the way a user installs it: the distribution archive that the build made,
 * unpacked with {@code tar} into a directory of the test's.
 *
 * <p>The default archive is named by the system property {@code portico.archive}, which the dist
 * module's build sets to {@code target/portico-VERSION.tar.gz}; the curated distributions are
 * {@code portico-NAME-VERSION.tar.gz} beside it.
 */
final class Installation {

    private final Path home;

    private Installation(Path home) {
        this.home = home;
    }

    /** Unpacks the default archive into {@code dir}; the installation is its one top-level directory. */
    static Installation unpack(Path dir) throws IOException, InterruptedException {
        String archive = System.getProperty("portico.archive");
        if (archive == null || !Files.isRegularFile(Path.of(archive))) {
            throw new IllegalStateException("no distribution archive at " + archive
                    + " (system property portico.archive): build it with `mvn package` first");
        }
        return unpack(Path.of(archive), dir);
    }

    /**
     * Unpacks the archive of the distribution {@code name} ({@code portico-NAME-VERSION.tar.gz} in
     * the directory named by the system property {@code portico.archives}) into {@code dir}.
     */
    static Installation unpack(String name, Path dir) throws IOException, InterruptedException {
        Path archive = Path.of(System.getProperty("portico.archives", "target"))
                .resolve("portico-%s-%s.tar.gz".formatted(name, System.getProperty("portico.version")));
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("no distribution archive at " + archive + ": build it with `mvn package` first");
        }
        return unpack(archive, dir);
    }

    /** Unpacks {@code archive} into {@code dir}; the installation is its one top-level directory. */
    static Installation unpack(Path archive, Path dir) throws IOException, InterruptedException {
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", dir.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(tar.getInputStream().readAllBytes());
        if (!tar.waitFor(60, TimeUnit.SECONDS) || tar.exitValue() != 0) {
            throw new IllegalStateException("tar could not unpack " + archive + ": " + output);
        }
        List<Path> top;
        try (Stream<Path> entries = Files.list(dir)) {
            top = entries.toList();
        }
        if (top.size() != 1 || !top.getFirst().getFileName().toString().startsWith("portico-")) {
            throw new IllegalStateException("expected the archive to hold one directory portico-VERSION, found " + top);
        }
        return new Installation(top.getFirst());
    }

    /** The installation's directory ({@code PORTICO_HOME}). */
    Path home() {
        return home;
    }

    /** {@code bin/portico}. */
    Path launcher() {
        return home.resolve("bin/portico");
    }

    /** {@code conf/portico.yaml}, used when the launcher is given no {@code --config}. */
    Path config() {
        return home.resolve("conf/portico.yaml");
    }

    /** {@code plugins/}. */
    Path plugins() {
        return home.resolve("plugins");
    }
}
