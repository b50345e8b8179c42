package io.portico.plugins.balancers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portico.core.config.ConfigException;
import io.portico.core.config.ConfigLoader;
import io.portico.core.config.ConfigMapper;
import io.portico.core.config.PorticoConfig;
import io.portico.core.plugin.ExtensionRegistry;
import io.portico.core.plugin.PluginHost;
import io.portico.core.runtime.ProxyRuntime;
import io.portico.core.runtime.RuntimeBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The balancers as users configure them: found by name among the plugins, settings bound from YAML
 * in kebab case, mistakes reported with the key path, and every example of the load-balancing guide
 * valid.
 */
class BalancersInConfigurationTest {

    private static final Path GUIDE = Path.of("../../docs/load-balancing.md");

    private static ProxyRuntime compile(String yaml) {
        PorticoConfig config = ConfigLoader.parse(yaml, GUIDE);
        try (PluginHost host = PluginHost.load(Path.of("target/no-plugins-dir"))) {
            var mapper = ConfigMapper.create();
            ExtensionRegistry registry = ExtensionRegistry.of(host,
                    (settings, type, f, keyPath) -> ConfigMapper.bind(mapper, settings, type, f, keyPath));
            return new RuntimeBuilder(registry, GUIDE).build(config);
        }
    }

    private static String upstreamWith(String balancer) {
        return """
                upstreams: {app: {balancer: %s, endpoints: [127.0.0.1:9001, 127.0.0.1:9002]}}
                routes: [{upstream: app}]
                """.formatted(balancer);
    }

    static Stream<String> guideExamples() throws IOException {
        Matcher blocks = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(GUIDE));
        List<String> examples = new ArrayList<>();
        while (blocks.find()) {
            if (blocks.group(1).contains("upstreams:")) {
                examples.add(blocks.group(1));
            }
        }
        assertThat(examples).hasSizeGreaterThanOrEqualTo(8);
        return examples.stream();
    }

    @ParameterizedTest
    @MethodSource("guideExamples")
    void everyExampleOfTheGuideCompiles(String yaml) {
        assertThat(compile(yaml).upstreams()).isNotEmpty();
    }

    @ParameterizedTest
    @MethodSource("balancerReferences")
    void everyBalancerIsFoundByNameAndBindsItsSettings(String reference, Class<?> balancerType) {
        assertThat(compile(upstreamWith(reference)).upstreams().get("app").balancer()).isInstanceOf(balancerType);
    }

    static Stream<Arguments> balancerReferences() {
        return Stream.of(
                Arguments.of("weighted-round-robin", WeightedRoundRobinBalancer.class),
                Arguments.of("least-connections", LeastConnectionsBalancer.class),
                Arguments.of("{least-request: {choices: 3}}", LeastRequestBalancer.class),
                Arguments.of("random", WeightedRandomBalancer.class),
                Arguments.of("{ring-hash: {key: client-address, min-ring-size: 2048}}",
                        ConsistentHashBalancer.class),
                Arguments.of("{maglev: {key: QUERY, name: user, table-size: 251}}",
                        ConsistentHashBalancer.class),
                Arguments.of("{peak-ewma: {decay-time: 2s}}", PeakEwmaBalancer.class));
    }

    @Test
    void aBadSettingIsReportedWithItsKeyPath() {
        assertThatThrownBy(() -> compile(upstreamWith("{least-request: {choices: 1}}")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> {
                    ConfigException problem = (ConfigException) e;
                    assertThat(problem.keyPath()).startsWith("upstreams.app.balancer.least-request");
                    assertThat(problem.problem()).contains("choices must be at least 2, got 1");
                });
    }

    @Test
    void anUnknownHashKeyIsAnError() {
        assertThatThrownBy(() -> compile(upstreamWith("{maglev: {key: body}}")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).keyPath()).contains("maglev"));
    }
}
