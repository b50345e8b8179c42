package io.portico.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code portico dist} in process, from a small installation laid out here: its exit status and
 * messages. The distribution tests of the dist module run it from a real one.
 */
class DistCommandTest {

    @TempDir
    Path tmp;

    private Path installation;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void layOutAnInstallation() throws Exception {
        installation = Files.createDirectories(tmp.resolve("portico"));
        Files.createDirectories(installation.resolve("bin"));
        Files.writeString(installation.resolve("bin/portico"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(installation.resolve("bin/portico"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(installation.resolve("lib"));
        Files.createDirectories(installation.resolve("conf"));
        Files.writeString(installation.resolve("conf/portico.yaml"), "listen: []\n");
        Files.writeString(installation.resolve("MANIFEST.txt"), """
                distribution: minimal
                version: 0.1.0
                """);
        Files.writeString(tmp.resolve("edge.yaml"), "name: edge\n");
    }

    @Test
    void writesTheArchiveAndSaysWhatItHolds() throws Exception {
        int status = dist("--descriptor", tmp.resolve("edge.yaml").toString(), "--output", tmp.resolve("edge.tar.gz").toString());

        assertThat(status).as("exit status; stderr: %s", err).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("wrote " + tmp.resolve("edge.tar.gz") + " (", " with 0 plugins");
        Process tar = new ProcessBuilder("tar", "-xzf", "edge.tar.gz").directory(tmp.toFile()).inheritIO().start();
        assertThat(tar.waitFor(60, TimeUnit.SECONDS) && tar.exitValue() == 0).as("tar -xzf").isTrue();
        assertThat(Files.getPosixFilePermissions(tmp.resolve("edge/bin/portico"))).isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(tmp.resolve("edge/conf/portico.yaml")).hasContent("listen: []");
        assertThat(Files.readAllLines(tmp.resolve("edge/MANIFEST.txt")))
                .contains("# Built by `portico dist` from a minimal installation; the plugins' sources are at the end.",
                        "distribution: edge", "version: 0.1.0");
    }

    @Test
    void anOutputInADirectoryThatDoesNotExistFailsBeforeAnyWork() throws Exception {
        Path output = tmp.resolve("no-such-dir/edge.tar.gz");

        int status = dist("--descriptor", tmp.resolve("edge.yaml").toString(), "--output", output.toString());

        assertThat(status).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("portico: --output: the directory " + output.getParent() + " does not exist; create it first\n");
        assertThat(out.toString(StandardCharsets.UTF_8)).as("nothing was laid out").isEmpty();
    }

    @Test
    void anOutputThatIsNotATarGzIsRefused() throws Exception {
        int status = dist("--descriptor", tmp.resolve("edge.yaml").toString(), "--output", tmp.resolve("edge.zip").toString());

        assertThat(status).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--output: expected a file name ending in .tar.gz");
        assertThat(tmp.resolve("edge.zip")).doesNotExist();
    }

    @Test
    void missingOrUnknownArgumentsPrintTheUsage() {
        assertThat(dist("--descriptor", "edge.yaml")).isEqualTo(2);
        assertThat(dist("--output")).isEqualTo(2);
        assertThat(dist("--descriptr", "edge.yaml", "--output", "edge.tar.gz")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(
                "portico: dist needs --descriptor and --output\nusage: " + DistCommand.USAGE,
                "portico: --output needs a file\n",
                "portico: unknown argument '--descriptr'\n");
    }

    private int dist(String... args) {
        return DistCommand.run(args, installation, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
