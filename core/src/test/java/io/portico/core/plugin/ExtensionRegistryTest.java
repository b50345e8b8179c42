package io.portico.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.portico.api.balancer.Balancer;
import io.portico.api.waf.WafRuleSet;
import io.portico.core.config.ConfigException;
import io.portico.core.config.ExtensionRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resolving names and building extensions, with the test classpath's extensions. */
class ExtensionRegistryTest {

    private static final Path FILE = Path.of("conf/portico.yaml");
    private static final String AT = "upstreams.api.balancer";

    @TempDir
    Path tmp;

    private PluginHost host;
    private ExtensionRegistry registry;

    @BeforeEach
    void loadClasspathExtensions() {
        host = PluginHost.load(tmp.resolve("no-plugins"));
        registry = ExtensionRegistry.of(host, new JacksonSettingsBinder());
    }

    @AfterEach
    void closeHost() {
        host.close();
    }

    private static ExtensionRef pick(String settingsJson) throws IOException {
        JsonNode settings = JsonMapper.builder().build().readTree(settingsJson);
        return new ExtensionRef("test-pick", settings, AT);
    }

    @Test
    void buildsAnExtensionWithItsBoundSettingsAndWhereItIsUsed() throws IOException {
        Balancer balancer = registry.create(ExtensionKind.BALANCER, pick("{\"index\": 2}"), FILE, Path.of("conf"));

        assertThat(balancer).isInstanceOfSatisfying(PickBalancerFactory.PickBalancer.class, built -> {
            assertThat(built.index()).isEqualTo(2);
            assertThat(built.context().configPath()).isEqualTo("upstreams.api.balancer.test-pick");
            assertThat(built.context().resolve("weights.txt")).isEqualTo(Path.of("conf/weights.txt"));
        });
    }

    @Test
    void anUnknownNameListsTheAvailableNames() {
        assertThat(registry.names(ExtensionKind.BALANCER)).contains("test-pick", "test-broken");

        assertThatThrownBy(() -> registry.create(ExtensionKind.BALANCER, ExtensionRef.of("least-conn", AT), FILE, tmp))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.file()).isEqualTo(FILE);
                    assertThat(e.keyPath()).isEqualTo(AT);
                    assertThat(e.problem()).isEqualTo("unknown balancer 'least-conn'; available: "
                            + String.join(", ", registry.names(ExtensionKind.BALANCER)));
                });
    }

    @Test
    void anUnknownNameAlsoListsThePluginsThatFailedToLoad() throws IOException {
        Path pluginsDir = Files.createDirectory(tmp.resolve("plugins"));
        Files.writeString(pluginsDir.resolve("geo.jar"), "truncated download");

        try (PluginHost withFailure = PluginHost.load(pluginsDir)) {
            ExtensionRegistry registry = ExtensionRegistry.of(withFailure, new JacksonSettingsBinder());
            assertThatThrownBy(() -> registry.extension(ExtensionKind.GEO_RESOLVER, "maxmind", FILE, "routes[0]"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("conf/portico.yaml: routes[0]: unknown geo resolver 'maxmind'; available: none"
                            + " (plugins that failed to load: geo.jar: is not a valid jar or zip file:"
                            + " zip END header not found)");
        }
    }

    @Test
    void looksUpWafRuleSetsByName() {
        WafRuleSet rules = registry.extension(ExtensionKind.WAF_RULE_SET, "test-classpath-rules", FILE, "waf");

        assertThat(rules).isInstanceOf(ClasspathRuleSet.class);
    }

    @Test
    void anUnknownSettingIsReportedAtItsKeyPath() {
        assertThatThrownBy(() -> registry.create(ExtensionKind.BALANCER, pick("{\"idx\": 1}"), FILE, tmp))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.keyPath()).isEqualTo("upstreams.api.balancer.test-pick.idx");
                    assertThat(e.problem()).contains("Unrecognized field \"idx\"");
                });
    }

    @Test
    void aSettingOfTheWrongTypeIsReportedAtItsKeyPath() {
        assertThatThrownBy(() -> registry.create(ExtensionKind.BALANCER, pick("{\"index\": \"first\"}"), FILE, tmp))
                .isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.keyPath()).isEqualTo("upstreams.api.balancer.test-pick.index"));
    }

    @Test
    void aValidationErrorOfTheConfigTypeIsReportedAtTheSettings() {
        assertThatThrownBy(() -> registry.create(ExtensionKind.BALANCER, pick("{\"index\": -1}"), FILE, tmp))
                .isInstanceOf(ConfigException.class)
                .hasMessage("conf/portico.yaml: upstreams.api.balancer.test-pick: 'index' must be at least 0, got -1");
    }

    @Test
    void aValidationErrorOfTheFactoryIsReportedAtTheSettings() {
        assertThatThrownBy(() -> registry.create(ExtensionKind.BALANCER, pick("{}"), FILE, tmp))
                .isInstanceOf(ConfigException.class)
                .hasMessage("conf/portico.yaml: upstreams.api.balancer.test-pick: 'index' is required");
    }

    @Test
    void anIllegalArgumentFromTheBinderIsReportedAtTheSettings() {
        ExtensionRegistry strict = ExtensionRegistry.of(host, (settings, type, file, keyPath) -> {
            throw new IllegalArgumentException("expected a map of settings");
        });

        assertThatThrownBy(() -> strict.create(ExtensionKind.BALANCER, pick("[1]"), FILE, tmp))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.keyPath()).isEqualTo("upstreams.api.balancer.test-pick");
                    assertThat(e.problem()).isEqualTo("expected a map of settings");
                });
    }

    @Test
    void aFactoryDefectNamesTheExtensionAndKeepsTheCause() {
        ExtensionRef broken = ExtensionRef.of("test-broken", AT);

        assertThatThrownBy(() -> registry.create(ExtensionKind.BALANCER, broken, FILE, tmp))
                .isInstanceOf(ConfigException.class)
                .hasMessage("conf/portico.yaml: upstreams.api.balancer.test-broken: the balancer 'test-broken' ("
                        + BrokenBalancerFactory.class.getName() + ") failed: IllegalStateException: boom")
                .hasRootCauseInstanceOf(IllegalStateException.class);
    }
}
