package io.portico.core.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portico.core.distribution.InstallationManifest.Artifact;
import io.portico.core.distribution.InstallationManifest.Jar;
import io.portico.core.distribution.InstallationManifest.Kind;
import io.portico.core.plugin.PluginApiVersion;
import io.portico.core.plugin.PluginJarBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MANIFEST.txt as the curated build and {@code portico dist} write it, and read back. */
class InstallationManifestTest {

    @TempDir
    Path tmp;

    @Test
    void describesThePluginsByTheirDescriptorAndTheJarsByTheirArtifact() throws Exception {
        Path home = Files.createDirectory(tmp.resolve("home"));
        Path plugins = Files.createDirectory(home.resolve("plugins"));
        PluginJarBuilder.plugin("zeta-auth", "2.0.0").source("com.example.Z", "package com.example; public class Z {}")
                .writeJar(Files.createDirectory(tmp.resolve("build-zeta")));
        Files.move(tmp.resolve("build-zeta/zeta-auth-2.0.0.jar"), plugins.resolve("a-auth.jar"));
        PluginJarBuilder.plugin("balancers", "0.1.0").source("com.example.B", "package com.example; public class B {}")
                .writeJar(plugins);
        Files.createDirectory(home.resolve("lib"));
        Files.writeString(home.resolve("lib/netty-buffer-4.2.18.Final.jar"), "not read: described by the function");
        Files.writeString(home.resolve("lib/README"), "not a jar, not listed");
        Files.createDirectory(home.resolve("jvmci"));
        Files.writeString(home.resolve("jvmci/compiler-25.0.3.jar"), "");

        InstallationManifest manifest = InstallationManifest.scan(home, "acme-edge", "0.1.0", jar -> switch (jar.getFileName().toString()) {
            case "compiler-25.0.3.jar" -> new Artifact("org.graalvm.compiler:compiler", "25.0.3");
            default -> new Artifact("io.netty:netty-buffer", "4.2.18.Final");
        });
        manifest.write(home, List.of("Built by a test."), List.of("source: zeta-auth jar ./a-auth.jar"));

        assertThat(home.resolve("MANIFEST.txt")).content().isEqualTo("""
                # What this Portico installation holds: one line per plugin, library and JVMCI jar.
                # Built by a test.
                distribution: acme-edge
                version: 0.1.0
                plugin: zeta-auth 2.0.0 plugins/a-auth.jar
                plugin: balancers 0.1.0 plugins/balancers-0.1.0.jar
                library: io.netty:netty-buffer 4.2.18.Final lib/netty-buffer-4.2.18.Final.jar
                jvmci: org.graalvm.compiler:compiler 25.0.3 jvmci/compiler-25.0.3.jar
                source: zeta-auth jar ./a-auth.jar
                """);
        assertThat(InstallationManifest.read(home)).contains(manifest);
        assertThat(manifest.artifact("lib/netty-buffer-4.2.18.Final.jar")).isEqualTo(new Artifact("io.netty:netty-buffer", "4.2.18.Final"));
        assertThat(manifest.artifact("lib/gone.jar")).isEqualTo(Artifact.unknown());
        assertThat(manifest.jars()).first().isEqualTo(new Jar(Kind.PLUGIN, new Artifact("zeta-auth", "2.0.0"), "plugins/a-auth.jar"));
    }

    @Test
    void aPluginThatDoesNotAdmitThisCoreFailsTheDescription() throws Exception {
        Path plugins = Files.createDirectories(tmp.resolve("home/plugins"));
        PluginJarBuilder.plugin("from-the-future", "1.0.0").source("com.example.F", "package com.example; public class F {}")
                .requires(">=9.0.0").writeJar(plugins);

        assertThatThrownBy(() -> InstallationManifest.scan(tmp.resolve("home"), "standard", "0.1.0", jar -> Artifact.unknown()))
                .isInstanceOf(DistributionException.class)
                .hasMessage("plugin from-the-future requires plugin-api >=9.0.0, this core has " + PluginApiVersion.current());
    }

    @Test
    void anInstallationWithoutAManifestHasNone() {
        assertThat(InstallationManifest.read(tmp)).isEmpty();
    }
}
