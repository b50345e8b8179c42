package io.portico.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.core.plugin.ExamplePlugins;
import io.portico.core.plugin.PluginApiVersion;
import io.portico.core.plugin.PluginJarBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginsCommandTest {

    @TempDir
    Path tmp;

    private String list(Path pluginsDir) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = PluginsCommand.run(pluginsDir, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(status).isZero();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void listsEachPluginWithItsExtensionsThenTheBuiltInOnesThenTheFailures() throws IOException {
        Path pluginsDir = Files.createDirectory(tmp.resolve("plugins"));
        PluginJarBuilder.plugin("stamp", "2.0.1")
                .source("com.example.stamp.StampFilterFactory", ExamplePlugins.STAMP_FILTER)
                .source("com.example.stamp.AlwaysFirstBalancerFactory", ExamplePlugins.ALWAYS_FIRST_BALANCER)
                .writeJar(pluginsDir);
        PluginJarBuilder.plugin("from-the-future", "1.0.0").requires(">=9.0.0")
                .source("com.example.stamp.AlwaysFirstBalancerFactory", ExamplePlugins.ALWAYS_FIRST_BALANCER)
                .writeJar(pluginsDir);
        Files.writeString(pluginsDir.resolve("notes.jar"), "not a jar");

        String output = list(pluginsDir);

        assertThat(output).startsWith("plugin API " + PluginApiVersion.current() + "; plugins directory " + pluginsDir);
        assertThat(output).contains("""

                stamp 2.0.1 STARTED (stamp-2.0.1.jar)
                  balancer always-first
                  filter stamp
                """);
        assertThat(output).contains("from-the-future 1.0.0 DISABLED (from-the-future-1.0.0.jar)");
        assertThat(output).contains("""

                built in (application class path)
                """).contains("  WAF rule set test-classpath-rules\n");
        assertThat(output.substring(output.indexOf("\nfailures\n"))).contains(
                "  from-the-future: needs plugin API >=9.0.0, but this Portico provides plugin API "
                        + PluginApiVersion.current(),
                "  notes.jar: is not a valid jar or zip file");
    }

    @Test
    void saysSoWhenThereAreNoPlugins() {
        String output = list(tmp.resolve("none"));

        assertThat(output).contains("\nno plugins installed\n").doesNotContain("failures");
    }
}
