package io.portico.plugins.balancers;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.core.config.ConfigLoader;
import io.portico.core.config.ConfigMapper;
import io.portico.core.config.PorticoConfig;
import io.portico.core.plugin.ExtensionRegistry;
import io.portico.core.plugin.PluginHost;
import io.portico.core.runtime.ProxyRuntime;
import io.portico.core.runtime.RuntimeBuilder;
import io.portico.core.test.TestOrigin;
import io.portico.core.test.TestPortico;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Round robin as users meet it: the default balancer of every upstream, and the one the shipped
 * configurations (examples, the guide's complete example, the distribution's demo) compile with.
 */
class RoundRobinInPorticoTest {

    @Test
    void isTheDefaultBalancerAndAlternates() {
        try (TestOrigin one = TestOrigin.start(TestOrigin.text("one"));
             TestOrigin two = TestOrigin.start(TestOrigin.text("two"));
             TestPortico portico = TestPortico.start("""
                     upstreams: {app: {endpoints: [%s, %s]}}
                     routes: [{upstream: app}]
                     """.formatted(one.address(), two.address()))) {
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                bodies.add(portico.get("/").body());
            }
            assertThat(bodies).containsExactly("one", "two", "one", "two");
        }
    }

    static Stream<Path> shippedConfigs() throws IOException {
        Path root = Path.of("../..");
        List<Path> files = new ArrayList<>();
        try (Stream<Path> examples = Files.list(root.resolve("conf/examples"))) {
            examples.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(files::add);
        }
        files.add(root.resolve("dist/src/conf/portico.yaml"));
        return files.stream();
    }

    @ParameterizedTest
    @MethodSource("shippedConfigs")
    void shippedConfigurationsCompileWithTheShippedPlugins(Path file) {
        PorticoConfig config = ConfigLoader.load(file);
        try (PluginHost host = PluginHost.load(Path.of("target/no-plugins-dir"))) {
            var mapper = ConfigMapper.create();
            ExtensionRegistry registry = ExtensionRegistry.of(host,
                    (settings, type, f, keyPath) -> ConfigMapper.bind(mapper, settings, type, f, keyPath));
            ProxyRuntime runtime = new RuntimeBuilder(registry, file).build(config);
            assertThat(runtime.upstreams()).isNotEmpty();
        }
    }

    @Test
    void theGuidesCompleteExampleCompiles() throws IOException {
        String doc = Files.readString(Path.of("../../docs/configuration.md"));
        String section = doc.substring(doc.indexOf("## A complete example"));
        String yaml = section.substring(section.indexOf("```yaml\n") + 8, section.lastIndexOf("```"));
        Path pretend = Path.of("../../docs/configuration.md");
        PorticoConfig config = ConfigLoader.parse(yaml, pretend);
        try (PluginHost host = PluginHost.load(Path.of("target/no-plugins-dir"))) {
            var mapper = ConfigMapper.create();
            ExtensionRegistry registry = ExtensionRegistry.of(host,
                    (settings, type, f, keyPath) -> ConfigMapper.bind(mapper, settings, type, f, keyPath));
            assertThat(new RuntimeBuilder(registry, pretend).build(config).router().size()).isEqualTo(5);
        }
    }
}
