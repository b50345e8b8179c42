package io.portico.core.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Archives written by {@link TarGz}, unpacked by the system's {@code tar} as an operator would. */
class TarGzTest {

    @TempDir
    Path tmp;

    @Test
    void tarUnpacksTheTreeUnderItsTopDirectoryWithContentsAndExecutableBits() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("layout/bin"));
        Files.writeString(dir.resolve("portico"), "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(dir.resolve("portico"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Path conf = Files.createDirectories(tmp.resolve("layout/conf"));
        Files.writeString(conf.resolve("portico.yaml"), "listen: []\n");
        Files.setPosixFilePermissions(conf.resolve("portico.yaml"), PosixFilePermissions.fromString("rw-------"));
        // Exactly one 512-byte block, and an empty file: no padding mistakes either way.
        Files.write(conf.resolve("block"), new byte[512]);
        Files.createFile(conf.resolve("empty"));
        Files.createDirectories(tmp.resolve("layout/filters"));

        TarGz.write(tmp.resolve("layout"), "acme-edge", tmp.resolve("acme-edge.tar.gz"));
        Path home = unpack(tmp.resolve("acme-edge.tar.gz"));

        assertThat(home.resolve("bin/portico")).content().isEqualTo("#!/bin/sh\necho hi\n");
        assertThat(Files.getPosixFilePermissions(home.resolve("bin/portico"))).isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(Files.getPosixFilePermissions(home.resolve("conf/portico.yaml")))
                .as("a file that is not executable is stored readable by all")
                .isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(home.resolve("conf/block")).hasSize(512);
        assertThat(home.resolve("conf/empty")).isEmptyFile();
        assertThat(home.resolve("filters")).isEmptyDirectory();
        assertThat(Files.getPosixFilePermissions(home)).isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void namesTooLongForATarHeaderSurviveWhole() throws Exception {
        String deep = "licenses/netty-tcnative-boringssl-static-2.0.84.Final-linux-x86_64/" + "very-long-directory-name/".repeat(4);
        Path dir = Files.createDirectories(tmp.resolve("layout").resolve(deep));
        String file = "NOTICE-" + "x".repeat(120) + ".txt";
        Files.writeString(dir.resolve(file), "notice");

        TarGz.write(tmp.resolve("layout"), "portico-minimal-0.1.0-SNAPSHOT", tmp.resolve("portico-minimal-0.1.0-SNAPSHOT.tar.gz"));
        Path home = unpack(tmp.resolve("portico-minimal-0.1.0-SNAPSHOT.tar.gz"));

        assertThat(home.resolve(deep).resolve(file)).content().isEqualTo("notice");
    }

    /** Unpacks {@code archive} with {@code tar -xzf} into a new directory; the top directory it made. */
    private Path unpack(Path archive) throws Exception {
        Path target = Files.createDirectory(tmp.resolve("unpacked"));
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", target.toString())
                .redirectErrorStream(true).start();
        assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(tar.exitValue()).as("tar: %s", new String(tar.getInputStream().readAllBytes())).isZero();
        Path home = target.resolve(archive.getFileName().toString().replace(".tar.gz", ""));
        try (Stream<Path> top = Files.list(target)) {
            assertThat(top).as("one top directory, named after the archive").containsExactly(home);
        }
        return home;
    }
}
