package io.portico.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.core.plugin.ExamplePlugins;
import io.portico.core.plugin.PluginJarBuilder;
import io.portico.core.test.TestOrigin;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution archive as a user gets it: unpacked, started with {@code bin/portico} from
 * elsewhere, stopped with SIGTERM, given a broken configuration, given a new plugin.
 *
 * <p>Runs in the dist module's {@code integration-test} phase, after {@code package} has made the
 * archive. The demo origins listen on the fixed ports 9001 and 9002 (as the demo documents); the
 * tests move Portico's own listener to a free port.
 */
class DistributionTest {

    /** Exits within the default shutdown deadline (30s), with a margin for a busy machine. */
    private static final Duration SHUTDOWN = Duration.ofSeconds(40);

    /** A configuration error is found before anything listens. */
    private static final Duration FAILED_START = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private Installation installation;
    private Path logs;
    private Path elsewhere;
    private final List<PorticoProcess> started = new ArrayList<>();

    @BeforeEach
    void unpack() throws Exception {
        installation = Installation.unpack(Files.createDirectory(tmp.resolve("install")));
        logs = Files.createDirectory(tmp.resolve("logs"));
        elsewhere = Files.createDirectory(tmp.resolve("elsewhere"));
    }

    @AfterEach
    void killLeftovers() {
        started.forEach(PorticoProcess::close);
    }

    private PorticoProcess start(Path launcher, String... args) throws IOException {
        PorticoProcess process = PorticoProcess.start(launcher, elsewhere, logs, args);
        started.add(process);
        return process;
    }

    @Test
    void theDemoAnswersFromBothOriginsInTurnAndStopsGracefullyOnSigterm() throws Exception {
        int port = PorticoProcess.freePort();
        String shipped = Files.readString(installation.config());
        assertThat(shipped).as("the shipped conf/portico.yaml listens on 0.0.0.0:8080").contains("0.0.0.0:8080");
        Files.writeString(installation.config(), shipped.replace("0.0.0.0:8080", "127.0.0.1:" + port));
        // Started through a symlink, from a directory that is not the installation's.
        Path link = Files.createSymbolicLink(elsewhere.resolve("portico"), installation.launcher());

        PorticoProcess portico = start(link, "demo");
        portico.awaitAnswer(uri(port, "/"));

        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> response = PorticoProcess.get(uri(port, "/try/" + i));
            assertThat(response.statusCode()).isEqualTo(200);
            bodies.add(response.body());
        }
        assertThat(bodies).allMatch(body -> body.matches("hello from origin [12]: GET /try/\\d\n"));
        for (int i = 1; i < bodies.size(); i++) {
            assertThat(origin(bodies.get(i))).as("round robin: answer %d comes from the other origin", i)
                    .isNotEqualTo(origin(bodies.get(i - 1)));
        }

        assertThat(portico.terminate(SHUTDOWN)).as("exit status after SIGTERM").isZero();
        String log = portico.stdout();
        for (String upstream : List.of("127.0.0.1:9001", "127.0.0.1:9002")) {
            assertThat(log).containsPattern(Pattern.compile(
                    "\"GET /try/\\d HTTP/1.1\" 200 in=0 out=\\d+ upstream=" + Pattern.quote(upstream) + " route=demo \\d+\\.\\d{3}ms"));
        }
        assertThat(log).contains("stopped");
        assertThat(portico.stderr()).isEmpty();
    }

    @Test
    void aConfigurationErrorExitsWithStatus2NamingTheFileAndTheKeyPath() throws Exception {
        Files.writeString(elsewhere.resolve("broken.yaml"), """
                listen: [{address: '127.0.0.1:0'}]
                upstreams:
                  web: {balancer: round-robin, endpoints: [127.0.0.1:9]}
                routes:
                  - match: {path: /}
                    upstream: api
                """);

        // A relative --config is relative to the working directory, not to the installation.
        PorticoProcess portico = start(installation.launcher(), "--config", "broken.yaml");

        assertThat(portico.awaitExit(FAILED_START)).as("exit status").isEqualTo(2);
        assertThat(portico.stderr()).contains("portico: configuration error: " + elsewhere.resolve("broken.yaml")
                + ": routes[0].upstream: unknown upstream 'api'; defined: web");
    }

    @Test
    void aPluginJarDroppedIntoPluginsIsUsedAfterARestart() throws Exception {
        try (TestOrigin origin = TestOrigin.start(TestOrigin.text("from the origin"))) {
            int port = PorticoProcess.freePort();
            Files.writeString(installation.config(), """
                    listen: [{address: '127.0.0.1:%d'}]
                    plugins: {dir: ../plugins}
                    upstreams:
                      app: {balancer: round-robin, endpoints: [%s]}
                    routes:
                      - match: {path: /}
                        filters: [{stamp: {header: x-stamp, value: dropped-in}}]
                        upstream: app
                    """.formatted(port, origin.address()));

            PorticoProcess before = start(installation.launcher());
            assertThat(before.awaitExit(FAILED_START)).as("exit status without the plugin").isEqualTo(2);
            assertThat(before.stderr()).contains(installation.config()
                    + ": routes[0].filters[0]: unknown filter 'stamp'; available: none");

            Path jar = stampPlugin(Files.createDirectory(tmp.resolve("build")));
            Files.copy(jar, installation.plugins().resolve(jar.getFileName()));

            PorticoProcess after = start(installation.launcher());
            HttpResponse<String> response = after.awaitAnswer(uri(port, "/stamped"));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("from the origin");
            assertThat(response.headers().firstValue("x-stamp")).hasValue("dropped-in");
            assertThat(origin.takeRequest().header("x-stamp")).isEqualTo("dropped-in");

            assertThat(after.terminate(SHUTDOWN)).as("exit status after SIGTERM").isZero();
        }
    }

    /** Builds a plugin jar with the filter {@code stamp}, which sets a header on requests and responses. */
    private static Path stampPlugin(Path dir) throws IOException {
        return PluginJarBuilder.plugin("stamp", "1.0.0")
                .source("com.example.stamp.StampFilterFactory", ExamplePlugins.STAMP_FILTER)
                .writeJar(dir);
    }

    private static String origin(String body) {
        return body.substring(0, "hello from origin 1".length());
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
