package io.portico.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.core.test.TestOrigin;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The curated distributions, {@code portico-minimal|standard|full-VERSION.tar.gz}: each unpacks
 * into a complete installation whose {@code MANIFEST.txt} lists what it holds and whose {@code
 * THIRD-PARTY.txt} names the licence of every bundled library; the minimal one runs.
 */
class CuratedDistributionsTest {

    private static final Duration SHUTDOWN = Duration.ofSeconds(40);
    private static final Duration COMMAND = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private final List<PorticoProcess> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        started.forEach(PorticoProcess::close);
    }

    @ParameterizedTest
    @ValueSource(strings = {"minimal", "standard", "full"})
    void eachUnpacksIntoAnInstallationWhoseManifestListsExactlyTheJarsItHolds(String name) throws Exception {
        Installation installation = Installation.unpack(name, Files.createDirectory(tmp.resolve("install")));
        Path home = installation.home();

        assertThat(home.getFileName().toString()).isEqualTo("portico-%s-%s".formatted(name, System.getProperty("portico.version")));
        assertThat(Files.getPosixFilePermissions(installation.launcher())).contains(PosixFilePermission.OWNER_EXECUTE);
        assertThat(installation.config()).isRegularFile();
        assertThat(home.resolve("filters")).isDirectory();
        assertThat(home.resolve("LICENSE")).isRegularFile();

        List<String> manifest = Files.readAllLines(home.resolve("MANIFEST.txt"));
        assertThat(manifest).contains("distribution: " + name, "version: " + System.getProperty("portico.version"));
        assertThat(manifest).anyMatch(line -> line.matches("plugin: portico-balancers \\S+ plugins/portico-balancers-\\S+\\.jar"));
        assertThat(manifest).anyMatch(line -> line.matches("library: io.portico:portico-core \\S+ lib/portico-core-\\S+\\.jar"));
        Set<String> listed = new TreeSet<>();
        for (String line : manifest) {
            if (line.matches("(plugin|library|jvmci): .*")) {
                listed.add(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        assertThat(listed).as("the jars MANIFEST.txt lists are those in plugins/, lib/ and jvmci/")
                .isEqualTo(jars(home, "plugins", "lib", "jvmci"));

        String thirdParty = Files.readString(home.resolve("THIRD-PARTY.txt"));
        for (String jar : jars(home, "lib", "jvmci")) {
            if (!jar.startsWith("lib/portico-")) {
                assertThat(thirdParty).as("THIRD-PARTY.txt names the licence of %s", jar)
                        .containsPattern("\\(" + jar.replace(".", "\\.") + "\\)\n    licence: \\S");
            }
        }
        assertThat(thirdParty).doesNotContain("not declared").doesNotContain("portico-core");
        assertThat(home.resolve("licenses/jackson-databind-" + version(manifest, "com.fasterxml.jackson.core:jackson-databind")
                + "/LICENSE")).content().contains("Apache License");
    }

    @Test
    void theLargerDistributionsHoldEverythingTheSmallerOnesDo() throws Exception {
        Set<String> minimal = jars(Installation.unpack("minimal", Files.createDirectory(tmp.resolve("minimal"))).home(),
                "plugins", "lib", "jvmci");
        Set<String> standard = jars(Installation.unpack("standard", Files.createDirectory(tmp.resolve("standard"))).home(),
                "plugins", "lib", "jvmci");
        Set<String> full = jars(Installation.unpack("full", Files.createDirectory(tmp.resolve("full"))).home(),
                "plugins", "lib", "jvmci");

        assertThat(standard).containsAll(minimal);
        assertThat(full).containsAll(standard);
        assertThat(standard).as("GraalJS and the Graal compiler are only in the full distribution")
                .noneMatch(jar -> jar.startsWith("jvmci/") || jar.matches("lib/(portico-js|polyglot|js-language|truffle).*"));
    }

    @Test
    void theMinimalDistributionServesAndListsItsPlugins() throws Exception {
        Installation installation = Installation.unpack("minimal", Files.createDirectory(tmp.resolve("install")));
        Path logs = Files.createDirectory(tmp.resolve("logs"));
        Path work = Files.createDirectory(tmp.resolve("work"));
        try (TestOrigin origin = TestOrigin.start(TestOrigin.text("minimal and working"))) {
            int port = PorticoProcess.freePort();
            Path config = work.resolve("portico.yaml");
            Files.writeString(config, """
                    listen: [{address: '127.0.0.1:%d'}]
                    plugins: {dir: %s}
                    upstreams:
                      app: {balancer: round-robin, endpoints: [%s]}
                    routes:
                      - match: {path: /}
                        upstream: app
                    """.formatted(port, installation.plugins(), origin.address()));

            PorticoProcess listing = start(installation.launcher(), work, logs, "--config", config.toString(), "plugins");
            assertThat(listing.awaitExit(COMMAND)).as("exit status of `portico plugins`").isZero();
            assertThat(listing.stdout())
                    .containsPattern("\nportico-balancers \\S+ STARTED \\(portico-balancers-\\S+\\.jar\\)\n")
                    .contains("  balancer round-robin\n", "  balancer maglev\n", "  balancer peak-ewma\n")
                    .doesNotContain("failures");

            PorticoProcess portico = start(installation.launcher(), work, logs, "--config", config.toString());
            HttpResponse<String> response = portico.awaitAnswer(URI.create("http://127.0.0.1:" + port + "/hello"));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("minimal and working");
            assertThat(portico.terminate(SHUTDOWN)).as("exit status after SIGTERM").isZero();
        }
    }

    @Test
    void theFullDistributionRunsWithTheGraalCompilerOnTheUpgradeModulePath() throws Exception {
        Installation installation = Installation.unpack("full", Files.createDirectory(tmp.resolve("install")));
        assertThat(Files.readAllLines(installation.home().resolve("MANIFEST.txt")))
                .anyMatch(line -> line.matches("jvmci: org.graalvm.compiler:compiler \\S+ jvmci/compiler-\\S+\\.jar"));
        Path logs = Files.createDirectory(tmp.resolve("logs"));
        Path work = Files.createDirectory(tmp.resolve("work"));
        try (TestOrigin origin = TestOrigin.start(TestOrigin.text("full"))) {
            int port = PorticoProcess.freePort();
            Files.writeString(installation.config(), """
                    listen: [{address: '127.0.0.1:%d'}]
                    plugins: {dir: ../plugins}
                    upstreams:
                      app: {balancer: round-robin, endpoints: [%s]}
                    routes:
                      - match: {path: /}
                        upstream: app
                    """.formatted(port, origin.address()));

            // -XX:+PrintFlagsFinal shows the flags the launcher set, in the process's output.
            PorticoProcess portico = PorticoProcess.start(installation.launcher(), work, logs, Map.of(
                    "PORTICO_JAVA_OPTS", "-XX:+PrintFlagsFinal"));
            started.add(portico);
            assertThat(portico.awaitAnswer(URI.create("http://127.0.0.1:" + port + "/")).body()).isEqualTo("full");
            assertThat(portico.stdout()).containsPattern("bool EnableJVMCI\\s+= true");
            assertThat(portico.terminate(SHUTDOWN)).as("exit status after SIGTERM").isZero();
        }
    }

    @Test
    void theSdkExamplePluginJarsWorkWhenDroppedIntoPlugins() throws Exception {
        Installation installation = Installation.unpack("minimal", Files.createDirectory(tmp.resolve("install")));
        Path logs = Files.createDirectory(tmp.resolve("logs"));
        Path work = Files.createDirectory(tmp.resolve("work"));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path jar = Path.of(entry);
            String file = jar.getFileName().toString();
            if (file.startsWith("portico-example-") || file.startsWith("portico-plugin-template-")) {
                Files.copy(jar, installation.plugins().resolve(file));
            }
        }
        try (TestOrigin primary = TestOrigin.start(TestOrigin.text("primary"));
                TestOrigin backup = TestOrigin.start(TestOrigin.text("backup"))) {
            int port = PorticoProcess.freePort();
            Files.writeString(installation.config(), """
                    listen: [{address: '127.0.0.1:%d'}]
                    plugins: {dir: ../plugins}
                    upstreams:
                      app: {balancer: primary-backup, endpoints: [%s, %s]}
                    routes:
                      - match: {path: /}
                        filters: [{api-key-auth: {keys: {k3y: alice}}}, {greeting: {text: hi}}]
                        upstream: app
                    """.formatted(port, primary.address(), backup.address()));

            PorticoProcess listing = start(installation.launcher(), work, logs, "plugins");
            assertThat(listing.awaitExit(COMMAND)).as("exit status of `portico plugins`").isZero();
            assertThat(listing.stdout())
                    .containsPattern("\nexample-balancer \\S+ STARTED \\(portico-example-balancer-\\S+\\.jar\\)\n  balancer primary-backup\n")
                    .containsPattern("\nexample-auth \\S+ STARTED .*\n  filter api-key-auth\n  auth provider api-key\n")
                    .containsPattern("\nexample-waf \\S+ STARTED .*\n  WAF rule set example-sqli\n")
                    .containsPattern("\nexample-greeting \\S+ STARTED .*\n  filter greeting\n")
                    .doesNotContain("failures");

            PorticoProcess portico = start(installation.launcher(), work, logs);
            URI uri = URI.create("http://127.0.0.1:" + port + "/");
            assertThat(portico.awaitAnswer(uri).statusCode()).as("without an API key").isEqualTo(401);
            HttpResponse<String> response = PorticoProcess.send(HttpRequest.newBuilder(uri).header("x-api-key", "k3y"));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("primary");
            assertThat(response.headers().firstValue("x-greeting")).hasValue("hi");
            assertThat(portico.terminate(SHUTDOWN)).as("exit status after SIGTERM").isZero();
        }
    }

    private PorticoProcess start(Path launcher, Path work, Path logs, String... args) throws IOException {
        PorticoProcess process = PorticoProcess.start(launcher, work, logs, args);
        started.add(process);
        return process;
    }

    /** The jar and zip files under the given folders of {@code home}, as {@code folder/file}. */
    private static Set<String> jars(Path home, String... folders) throws IOException {
        Set<String> found = new TreeSet<>();
        for (String folder : folders) {
            Path dir = home.resolve(folder);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    files.map(f -> folder + "/" + f.getFileName())
                            .filter(f -> f.endsWith(".jar") || f.endsWith(".zip"))
                            .forEach(found::add);
                }
            }
        }
        return found;
    }

    private static String version(List<String> manifest, String coordinates) {
        String prefix = "library: " + coordinates + " ";
        return manifest.stream().filter(line -> line.startsWith(prefix)).findFirst()
                .map(line -> line.substring(prefix.length()).split(" ")[0])
                .orElseThrow(() -> new AssertionError(coordinates + " is not in the manifest"));
    }
}
