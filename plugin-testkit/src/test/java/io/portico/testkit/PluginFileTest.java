package io.portico.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.core.plugin.ExamplePlugins;
import io.portico.core.plugin.PluginInfo;
import io.portico.core.plugin.PluginJarBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.pf4j.PluginState;

/** A packaged plugin given to {@code pluginFile} is loaded from the plugins directory, in its own class loader. */
class PluginFileTest {

    private static final Path JAR = stampPlugin();

    @RegisterExtension
    static final PorticoExtension portico = PorticoExtension.withConfig("""
            upstreams:
              app: {balancer: first-endpoint, endpoints: [${origin0}]}
            routes:
              - match: {path: /}
                filters: [{stamp: {header: x-packaged, value: "yes"}}]
                upstream: app
            """).pluginFile(JAR);

    private static Path stampPlugin() {
        try {
            Path dir = Files.createDirectories(Files.createTempDirectory("testkit-plugin").resolve("out"));
            return PluginJarBuilder.plugin("stamp", "1.0.0")
                    .source("com.example.stamp.StampFilterFactory", ExamplePlugins.STAMP_FILTER)
                    .writeJar(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void thePluginJarIsLoadedAndItsFilterServes() {
        assertThat(portico.portico().plugins().plugins())
                .extracting(PluginInfo::id, PluginInfo::state)
                .containsExactly(Tuple.tuple("stamp", PluginState.STARTED));

        assertThat(portico.get("/").headers().firstValue("x-packaged")).hasValue("yes");
        assertThat(portico.origin(0).lastRequest().header("x-packaged")).isEqualTo("yes");
    }
}
