package io.portico.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portico.api.balancer.Balancer;
import io.portico.api.balancer.Endpoint;
import io.portico.api.waf.WafRuleSet;
import io.portico.core.config.ConfigException;
import io.portico.core.config.ExtensionRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.assertj.core.groups.Tuple;
import org.pf4j.PluginState;

class PluginHostTest {

    private static final List<Endpoint> ENDPOINTS =
            List.of(new TestEndpoint("a", 1), new TestEndpoint("b", 2), new TestEndpoint("c", 3));

    @TempDir
    Path tmp;

    private Path pluginsDir;

    @BeforeEach
    void createPluginsDir() throws IOException {
        pluginsDir = Files.createDirectory(tmp.resolve("plugins"));
    }

    /** A plugin with a balancer named {@code name} that always picks the last endpoint. */
    private static PluginJarBuilder lastBalancerPlugin(String pluginId, String name) {
        String pkg = "com.example." + pluginId.replace('-', '_');
        return PluginJarBuilder.plugin(pluginId, "1.2.3").source(pkg + ".LastBalancerFactory", """
                package %s;

                import io.portico.api.balancer.*;
                import io.portico.api.config.*;
                import org.pf4j.Extension;

                @Extension
                public final class LastBalancerFactory implements BalancerFactory<NoConfig> {
                    public String name() { return "%s"; }
                    public Class<NoConfig> configType() { return NoConfig.class; }
                    public Balancer create(NoConfig config, ExtensionContext context) {
                        return (endpoints, selection) -> endpoints.getLast();
                    }
                }
                """.formatted(pkg, name));
    }

    /** A plugin with a WAF rule set whose one rule is described by a class of a library it bundles. */
    private static PluginJarBuilder greetingRulesPlugin(String pluginId, Path greetingLibrary) {
        String pkg = "com.example." + pluginId.replace('-', '_');
        return PluginJarBuilder.plugin(pluginId, "1.0.0").library(greetingLibrary).source(pkg + ".GreetingRules", """
                package %s;

                import com.example.shared.Greeting;
                import io.portico.api.waf.*;
                import java.util.*;
                import java.util.regex.Pattern;
                import org.pf4j.Extension;

                @Extension
                public final class GreetingRules implements WafRuleSet {
                    private final Greeting greeting = new Greeting();
                    public String name() { return "%s"; }
                    public List<WafRule> rules() {
                        return List.of(new WafRule("1", greeting.text(), Set.of(WafRule.Target.PATH), Pattern.compile("x"), 1));
                    }
                }
                """.formatted(pkg, pluginId));
    }

    private Path greetingLibrary(String jarName, String text) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("libs"));
        return PluginJarBuilder.library(dir.resolve(jarName), Map.of("com.example.shared.Greeting", """
                package com.example.shared;

                public final class Greeting {
                    public String text() { return "%s"; }
                }
                """.formatted(text)));
    }

    private static Balancer balancer(PluginHost host, String name) {
        ExtensionRegistry registry = ExtensionRegistry.of(host, new JacksonSettingsBinder());
        return registry.create(ExtensionKind.BALANCER, ExtensionRef.of(name, "upstreams.api.balancer"), null, Path.of("."));
    }

    @Test
    void loadsAPluginJarAndItsExtensionIsFoundByNameAndWorks() throws IOException {
        Path jar = lastBalancerPlugin("last-balancer", "last").writeJar(pluginsDir);

        try (PluginHost host = PluginHost.load(pluginsDir)) {
            assertThat(host.failures()).isEmpty();
            assertThat(host.plugins()).containsExactly(new PluginInfo(
                    "last-balancer", "1.2.3", "Portico tests", PluginState.STARTED, jar, List.of("balancer last")));

            Balancer balancer = balancer(host, "last");
            assertThat(balancer.select(ENDPOINTS, null)).isEqualTo(ENDPOINTS.getLast());
            assertThat(balancer.getClass().getClassLoader()).isNotSameAs(getClass().getClassLoader());
        }
    }

    @Test
    void aPluginNeedingANewerPluginApiIsRefusedNamingBothVersionsWhileTheOthersWork() throws IOException {
        lastBalancerPlugin("from-the-future", "future").requires(">=9.0.0").writeJar(pluginsDir);
        lastBalancerPlugin("current", "last").requires(">=" + PluginApiVersion.current()).writeJar(pluginsDir);
        lastBalancerPlugin("bounded", "bounded").requires(">=0.1.0 & <9.0.0").writeJar(pluginsDir);

        try (PluginHost host = PluginHost.load(pluginsDir)) {
            assertThat(host.failures()).containsExactly(new PluginFailure("from-the-future",
                    "needs plugin API >=9.0.0, but this Portico provides plugin API " + PluginApiVersion.current()));
            assertThat(host.plugins())
                    .extracting(PluginInfo::id, PluginInfo::state)
                    .containsExactlyInAnyOrder(
                            Tuple.tuple("from-the-future", PluginState.DISABLED),
                            Tuple.tuple("current", PluginState.STARTED),
                            Tuple.tuple("bounded", PluginState.STARTED));
            assertThat(balancer(host, "last").select(ENDPOINTS, null)).isEqualTo(ENDPOINTS.getLast());
            assertThat(host.extensions(ExtensionKind.BALANCER)).extracting(FoundExtension::name)
                    .doesNotContain("future");
        }
    }

    @Test
    void theProvidedPluginApiVersionIsTheBuildsReleaseVersionSoASnapshotSatisfiesItsOwnRelease() {
        assertThat(PluginApiVersion.current()).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(PluginApiVersion.release("0.1.0-SNAPSHOT")).isEqualTo("0.1.0");
        assertThat(PluginApiVersion.release("1.2.0-rc.1+build.5")).isEqualTo("1.2.0");
        assertThat(PluginApiVersion.release("2.0.0")).isEqualTo("2.0.0");
    }

    @Test
    void aMissingDirectoryMeansNoPluginsWhileClasspathExtensionsAreStillFound() {
        try (PluginHost host = PluginHost.load(tmp.resolve("no-such-dir"))) {
            assertThat(host.plugins()).isEmpty();
            assertThat(host.failures()).isEmpty();
            assertThat(host.extensions(ExtensionKind.WAF_RULE_SET))
                    .anySatisfy(found -> {
                        assertThat(found.name()).isEqualTo("test-classpath-rules");
                        assertThat(found.pluginId()).isNull();
                        assertThat(found.instance()).isInstanceOf(ClasspathRuleSet.class);
                    });
        }
    }

    @Test
    void pluginsBundlingDifferentVersionsOfOneLibraryEachSeeTheirOwn() throws IOException {
        greetingRulesPlugin("rules-a", greetingLibrary("greeting-1.0.jar", "v1")).writeZip(pluginsDir);
        greetingRulesPlugin("rules-b", greetingLibrary("greeting-2.0.jar", "v2")).writeZip(pluginsDir);

        try (PluginHost host = PluginHost.load(pluginsDir)) {
            assertThat(host.failures()).isEmpty();
            ExtensionRegistry registry = ExtensionRegistry.of(host, new JacksonSettingsBinder());
            WafRuleSet a = registry.extension(ExtensionKind.WAF_RULE_SET, "rules-a", null, "waf");
            WafRuleSet b = registry.extension(ExtensionKind.WAF_RULE_SET, "rules-b", null, "waf");

            assertThat(a.rules().getFirst().description()).isEqualTo("v1");
            assertThat(b.rules().getFirst().description()).isEqualTo("v2");
            assertThat(a.getClass().getClassLoader()).isNotSameAs(b.getClass().getClassLoader());
        }
    }

    @Test
    void aPluginZipCarriesItsThirdPartyLibrariesInLib() throws IOException {
        greetingRulesPlugin("greeting-rules", greetingLibrary("greeting-1.0.jar", "hello")).writeZip(pluginsDir);

        try (PluginHost host = PluginHost.load(pluginsDir)) {
            assertThat(host.failures()).isEmpty();
            assertThat(host.plugins()).singleElement().satisfies(plugin -> {
                assertThat(plugin.state()).isEqualTo(PluginState.STARTED);
                assertThat(plugin.extensions()).containsExactly("WAF rule set greeting-rules");
            });
            WafRuleSet rules = ExtensionRegistry.of(host, new JacksonSettingsBinder())
                    .extension(ExtensionKind.WAF_RULE_SET, "greeting-rules", null, "waf");
            assertThat(rules.rules().getFirst().description()).isEqualTo("hello");
        }
    }

    @Test
    void aPluginJarWithoutTheLibraryItNeedsIsReportedNamingTheMissingClass() throws IOException {
        // A plain jar does not carry its libraries: the library is only on the compile classpath.
        greetingRulesPlugin("greeting-rules", greetingLibrary("greeting-1.0.jar", "hello")).writeJar(pluginsDir);

        try (PluginHost host = PluginHost.load(pluginsDir)) {
            assertThat(host.failures()).singleElement().satisfies(failure -> {
                assertThat(failure.plugin()).isEqualTo("greeting-rules");
                assertThat(failure.reason()).contains("NoClassDefFoundError", "com/example/shared/Greeting", "lib/");
            });
            assertThat(host.extensions(ExtensionKind.WAF_RULE_SET)).noneMatch(e -> "greeting-rules".equals(e.pluginId()));
            assertThat(host.plugins()).singleElement().extracting(PluginInfo::state).isEqualTo(PluginState.STOPPED);
        }
    }

    @Test
    void brokenFilesAndPluginsAreReportedWithoutStoppingTheOthers() throws IOException {
        Files.write(pluginsDir.resolve("corrupt.jar"), "not a zip at all".getBytes());
        Files.write(pluginsDir.resolve("corrupt.zip"), "not a zip either".getBytes());
        Path library = greetingLibrary("greeting-1.0.jar", "hi");
        Files.copy(library, pluginsDir.resolve("just-a-library.jar"));
        PluginJarBuilder.plugin("failing-start", "1.0.0")
                .pluginClass("com.example.failing.FailingPlugin")
                .source("com.example.failing.FailingPlugin", """
                        package com.example.failing;

                        public final class FailingPlugin extends org.pf4j.Plugin {
                            @Override
                            public void start() { throw new IllegalStateException("no licence key"); }
                        }
                        """)
                .writeJar(pluginsDir);
        lastBalancerPlugin("last-balancer", "last").writeJar(pluginsDir);

        try (PluginHost host = PluginHost.load(pluginsDir)) {
            assertThat(host.failures()).extracting(PluginFailure::plugin)
                    .containsExactlyInAnyOrder("corrupt.jar", "corrupt.zip", "just-a-library.jar", "failing-start");
            assertThat(reasonOf(host, "corrupt.jar")).startsWith("is not a valid jar or zip file");
            assertThat(reasonOf(host, "corrupt.zip")).startsWith("is not a valid jar or zip file");
            assertThat(reasonOf(host, "just-a-library.jar")).startsWith("is not a plugin").contains("Plugin-Id");
            assertThat(reasonOf(host, "failing-start")).contains("cannot be started", "no licence key");

            assertThat(host.plugins()).filteredOn(plugin -> plugin.id().equals("last-balancer"))
                    .singleElement().extracting(PluginInfo::state).isEqualTo(PluginState.STARTED);
            assertThat(balancer(host, "last").select(ENDPOINTS, null)).isEqualTo(ENDPOINTS.getLast());
        }
    }

    @Test
    void aPluginWhoseDependencyIsMissingIsReportedWhileTheOthersRun() throws IOException {
        lastBalancerPlugin("needy", "needy-last").dependencies("absent-plugin@>=2.0.0").writeJar(pluginsDir);
        lastBalancerPlugin("last-balancer", "last").writeJar(pluginsDir);

        try (PluginHost host = PluginHost.load(pluginsDir)) {
            assertThat(host.failures()).containsExactly(new PluginFailure(
                    "needy", "needs plugins that are missing or of the wrong version: absent-plugin >=2.0.0"));
            assertThat(host.plugins()).extracting(PluginInfo::id).containsExactly("last-balancer");
            assertThat(balancer(host, "last").select(ENDPOINTS, null)).isEqualTo(ENDPOINTS.getLast());
        }
    }

    private static String reasonOf(PluginHost host, String plugin) {
        return host.failures().stream().filter(f -> f.plugin().equals(plugin)).findFirst().orElseThrow().reason();
    }

    @Test
    void twoExtensionsOfOneKindWithOneNameAreAnErrorNamingBoth() throws IOException {
        lastBalancerPlugin("first-plugin", "last").writeJar(pluginsDir);
        lastBalancerPlugin("second-plugin", "last").writeJar(pluginsDir);

        try (PluginHost host = PluginHost.load(pluginsDir)) {
            assertThatThrownBy(() -> ExtensionRegistry.of(host, new JacksonSettingsBinder()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("two balancers are named 'last'")
                    .hasMessageContaining("plugin 'first-plugin'")
                    .hasMessageContaining("plugin 'second-plugin'");
        }
    }
}
