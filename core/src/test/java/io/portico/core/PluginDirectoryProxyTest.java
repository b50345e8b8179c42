package io.portico.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portico.core.config.ConfigException;
import io.portico.core.plugin.ExamplePlugins;
import io.portico.core.plugin.PluginInfo;
import io.portico.core.plugin.PluginJarBuilder;
import io.portico.core.test.TestOrigin;
import io.portico.core.test.TestPortico;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.PluginState;

/**
 * Portico end to end with a plugin jar that exists only in its plugins directory: a filter and a
 * balancer compiled at test time, found by the names a configuration file gives them, serving real
 * requests.
 */
class PluginDirectoryProxyTest {



    @TempDir
    static Path build;

    private static Path builtJar;

    @TempDir
    Path tmp;

    private Path pluginsDir;
    private Path stampJar;
    private TestOrigin chosen;
    private TestOrigin other;

    @BeforeAll
    static void buildPlugin() throws IOException {
        builtJar = PluginJarBuilder.plugin("stamp-plugin", "1.0.0")
                .source("com.example.stamp.StampFilterFactory", ExamplePlugins.STAMP_FILTER)
                .source("com.example.stamp.AlwaysFirstBalancerFactory", ExamplePlugins.ALWAYS_FIRST_BALANCER)
                .writeJar(Files.createDirectory(build.resolve("jar")));
    }

    @BeforeEach
    void startOriginsAndDropThePluginIn() throws IOException {
        pluginsDir = Files.createDirectory(tmp.resolve("plugins"));
        stampJar = Files.copy(builtJar, pluginsDir.resolve(builtJar.getFileName()));
        chosen = TestOrigin.start(TestOrigin.text("chosen"));
        other = TestOrigin.start(TestOrigin.text("other"));
    }

    @AfterEach
    void stopOrigins() {
        chosen.close();
        other.close();
    }

    /** Writes {@code portico.yaml} beside the plugins directory, which it names relatively. */
    private Path config(String filter, String balancer) throws IOException {
        return Files.writeString(tmp.resolve("portico.yaml"), """
                listen: [{address: '127.0.0.1:0'}]
                plugins: {dir: plugins}
                upstreams:
                  app: {balancer: %s, endpoints: [%s, %s]}
                routes:
                  - match: {path: /}
                    filters: [%s]
                    upstream: app
                """.formatted(balancer, chosen.address(), other.address(), filter));
    }

    @Test
    void requestsGoThroughTheFilterAndTheBalancerOfAPluginJar() throws IOException {
        // Nothing of the plugin is on the test's classpath: only the jar in the directory has it.
        assertThatThrownBy(() -> Class.forName("com.example.stamp.StampFilterFactory"))
                .isInstanceOf(ClassNotFoundException.class);

        try (TestPortico portico = TestPortico.start(config("{stamp: {header: x-stamp, value: blue}}", "always-first"))) {
            assertThat(portico.portico().plugins().plugins()).singleElement().satisfies(plugin -> {
                assertThat(plugin.id()).isEqualTo("stamp-plugin");
                assertThat(plugin.state()).isEqualTo(PluginState.STARTED);
                assertThat(plugin.extensions()).containsExactlyInAnyOrder("filter stamp", "balancer always-first");
            });

            for (int i = 0; i < 4; i++) {
                var response = portico.get("/items/" + i);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("chosen");
                assertThat(response.headers().firstValue("x-stamp")).hasValue("blue");

                TestOrigin.Received received = chosen.takeRequest();
                assertThat(received.uri()).isEqualTo("/items/" + i);
                assertThat(received.header("x-stamp")).isEqualTo("blue");
            }
            assertThat(other.pendingRequests()).as("requests the balancer did not choose to send").isZero();
        }
    }

    @Test
    void anExtensionThatNoPluginProvidesFailsTheStartListingTheAvailableNames() throws IOException {
        Path file = config("{rubber-stamp: {header: x-stamp, value: blue}}", "always-first");

        assertThatThrownBy(() -> TestPortico.start(file))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.file()).isEqualTo(file);
                    assertThat(e.keyPath()).isEqualTo("routes[0].filters[0]");
                    // The core's test-only filters (test-*, client-cert-echo) are on the classpath too.
                    String available = "unknown filter 'rubber-stamp'; available: ";
                    assertThat(e.problem()).startsWith(available);
                    assertThat(e.problem().substring(available.length()).split(", ")).contains("stamp");
                });
    }

    @Test
    void aPluginsSettingsAreValidatedAtTheirKeyPath() throws IOException {
        Path file = config("{stamp: {header: x-stamp}}", "always-first");

        assertThatThrownBy(() -> TestPortico.start(file))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.keyPath()).isEqualTo("routes[0].filters[0].stamp");
                    assertThat(e.problem()).isEqualTo("expected both 'header' and 'value'");
                });
    }

    @Test
    void aBrokenPluginJarIsReportedWhileTheOtherPluginKeepsServing() throws IOException {
        // A jar cut short, as by an interrupted copy.
        byte[] whole = Files.readAllBytes(stampJar);
        Files.write(pluginsDir.resolve("half-copied.jar"), Arrays.copyOf(whole, whole.length / 2));

        try (TestPortico portico = TestPortico.start(config("{stamp: {header: x-stamp, value: green}}", "always-first"))) {
            assertThat(portico.portico().plugins().failures()).singleElement().satisfies(failure -> {
                assertThat(failure.plugin()).isEqualTo("half-copied.jar");
                assertThat(failure.reason()).startsWith("is not a valid jar or zip file");
            });
            assertThat(portico.portico().plugins().plugins()).extracting(PluginInfo::id).containsExactly("stamp-plugin");

            var response = portico.get("/");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("chosen");
            assertThat(response.headers().firstValue("x-stamp")).hasValue("green");
            assertThat(chosen.takeRequest().header("x-stamp")).isEqualTo("green");
        }
    }

    @Test
    void anUnknownNameIsReportedWithThePluginsThatFailedToLoad() throws IOException {
        Files.write(pluginsDir.resolve("half-copied.jar"), Arrays.copyOf(Files.readAllBytes(stampJar), 100));
        Path file = config("{stamp: {header: x-stamp, value: blue}}", "least-request");

        assertThatThrownBy(() -> TestPortico.start(file))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.keyPath()).isEqualTo("upstreams.app.balancer");
                    assertThat(e.problem())
                            .startsWith("unknown balancer 'least-request'; available: always-first, ")
                            .contains("(plugins that failed to load: half-copied.jar: is not a valid jar or zip file");
                });
    }
}
