package io.portico.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.core.plugin.PluginJarBuilder;
import io.portico.core.test.TestOrigin;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/portico dist}, run the way an operator runs it: from the unpacked minimal
 * distribution, with a descriptor naming plugins as local jars and as Maven coordinates (from a
 * {@code file:} repository made here); the archive it writes is unpacked and started with its own
 * launcher. The jlink test runs only with {@code -Dportico.jlink=true} (it takes about a minute).
 */
class CustomDistributionTest {

    private static final Duration COMMAND = Duration.ofSeconds(120);
    private static final Duration SHUTDOWN = Duration.ofSeconds(40);

    @TempDir
    Path tmp;

    private final List<PorticoProcess> started = new ArrayList<>();
    private Installation installation;
    private Path work;
    private Path logs;

    @BeforeEach
    void unpackTheMinimalDistribution() throws Exception {
        installation = Installation.unpack("minimal", Files.createDirectory(tmp.resolve("install")));
        work = Files.createDirectory(tmp.resolve("work"));
        logs = Files.createDirectory(tmp.resolve("logs"));
    }

    @AfterEach
    void killLeftovers() {
        started.forEach(PorticoProcess::close);
    }

    @Test
    void aDistributionWithALocalJarAndAMavenPluginRunsWithItsOwnLauncher() throws Exception {
        Files.createDirectory(work.resolve("plugins"));
        Files.copy(sdkExample("portico-example-balancer-"), work.resolve("plugins/example-balancer.jar"));
        Path repository = Files.createDirectory(tmp.resolve("repository"));
        publish(sdkExample("portico-example-auth-"), repository, "com/acme/edge/acme-auth/1.2.0/acme-auth-1.2.0.jar", true);
        int port = PorticoProcess.freePort();
        try (TestOrigin primary = TestOrigin.start(TestOrigin.text("primary"));
                TestOrigin backup = TestOrigin.start(TestOrigin.text("backup"))) {
            Files.createDirectory(work.resolve("conf"));
            Files.copy(installation.home().resolve("conf/logback.xml"), work.resolve("conf/logback.xml"));
            Files.writeString(work.resolve("conf/portico.yaml"), """
                    listen: [{address: '127.0.0.1:%d'}]
                    plugins: {dir: ../plugins}
                    upstreams:
                      app: {balancer: primary-backup, endpoints: [%s, %s]}
                    routes:
                      - match: {path: /}
                        filters: [{api-key-auth: {keys: {k3y: alice}}}]
                        upstream: app
                    """.formatted(port, primary.address(), backup.address()));
            Files.writeString(work.resolve("acme-edge.yaml"), """
                    name: acme-edge
                    base: minimal
                    plugins:
                      - jar: ./plugins/example-balancer.jar
                      - maven: com.acme.edge:acme-auth:1.2.0
                    repositories: [%s]
                    conf: ./conf
                    """.formatted(repository.toUri()));

            PorticoProcess dist = dist("acme-edge.yaml", "portico-acme-edge.tar.gz");
            assertThat(dist.awaitExit(COMMAND)).as("exit status of `portico dist`\n%s", dist.output()).isZero();
            assertThat(dist.stdout())
                    .contains("fetched com.acme.edge:acme-auth:1.2.0 from " + repository, "(SHA-1 verified)")
                    .contains("wrote portico-acme-edge.tar.gz");

            Installation custom = Installation.unpack(work.resolve("portico-acme-edge.tar.gz"),
                    Files.createDirectory(tmp.resolve("custom")));
            assertThat(custom.home().getFileName()).hasToString("portico-acme-edge");
            assertThat(Files.getPosixFilePermissions(custom.launcher())).contains(PosixFilePermission.OWNER_EXECUTE);
            assertThat(custom.home().resolve("runtime")).doesNotExist();
            assertThat(custom.config()).content().contains("primary-backup");
            List<String> manifest = Files.readAllLines(custom.home().resolve("MANIFEST.txt"));
            assertThat(manifest)
                    .contains("distribution: acme-edge", "version: " + System.getProperty("portico.version"))
                    .anyMatch(line -> line.matches("plugin: example-balancer \\S+ plugins/example-balancer\\.jar"))
                    .anyMatch(line -> line.matches("plugin: example-auth \\S+ plugins/acme-auth-1\\.2\\.0\\.jar"))
                    .anyMatch(line -> line.matches("plugin: portico-balancers \\S+ plugins/portico-balancers-\\S+\\.jar"))
                    .anyMatch(line -> line.startsWith("source: example-auth maven com.acme.edge:acme-auth:1.2.0 "))
                    .anyMatch(line -> line.matches("library: io.portico:portico-core \\S+ lib/portico-core-\\S+\\.jar"));

            PorticoProcess listing = start(custom.launcher(), Map.of(), "plugins");
            assertThat(listing.awaitExit(COMMAND)).as("exit status of `portico plugins`").isZero();
            assertThat(listing.stdout())
                    .containsPattern("\nexample-balancer \\S+ STARTED \\(example-balancer\\.jar\\)\n  balancer primary-backup\n")
                    .containsPattern("\nexample-auth \\S+ STARTED \\(acme-auth-1\\.2\\.0\\.jar\\)\n  filter api-key-auth\n")
                    .containsPattern("\nportico-balancers \\S+ STARTED ")
                    .doesNotContain("failures");

            PorticoProcess portico = start(custom.launcher(), Map.of());
            URI uri = URI.create("http://127.0.0.1:" + port + "/");
            assertThat(portico.awaitAnswer(uri).statusCode()).as("without an API key").isEqualTo(401);
            HttpResponse<String> response = PorticoProcess.send(HttpRequest.newBuilder(uri).header("x-api-key", "k3y"));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("primary");
            assertThat(portico.terminate(SHUTDOWN)).as("exit status after SIGTERM").isZero();
        }
    }

    @Test
    void aPluginThatRequiresAnotherPluginApiIsRefused() throws Exception {
        PluginJarBuilder.plugin("from-the-future", "1.0.0")
                .source("com.example.future.Future", "package com.example.future; public class Future {}")
                .requires(">=9.0.0")
                .writeJar(work);
        Files.writeString(work.resolve("future.yaml"), """
                name: future
                plugins: [{jar: from-the-future-1.0.0.jar}]
                """);

        PorticoProcess dist = dist("future.yaml", "portico-future.tar.gz");

        assertThat(dist.awaitExit(COMMAND)).as("exit status of `portico dist`").isEqualTo(1);
        assertThat(dist.stderr()).contains("plugin from-the-future requires plugin-api >=9.0.0, this core has 0.1.0");
        assertThat(work.resolve("portico-future.tar.gz")).doesNotExist();
    }

    @Test
    void aDownloadWhoseDigestDiffersFromThePublishedOneIsRefused() throws Exception {
        Path repository = Files.createDirectory(tmp.resolve("repository"));
        publish(sdkExample("portico-example-auth-"), repository, "com/acme/acme-auth/1.0.0/acme-auth-1.0.0.jar", false);
        Files.writeString(work.resolve("damaged.yaml"), """
                name: damaged
                plugins: [{maven: 'com.acme:acme-auth:1.0.0'}]
                repositories: [%s]
                """.formatted(repository.toUri()));

        PorticoProcess dist = dist("damaged.yaml", "portico-damaged.tar.gz");

        assertThat(dist.awaitExit(COMMAND)).as("exit status of `portico dist`").isEqualTo(1);
        assertThat(dist.stderr()).contains("maven com.acme:acme-auth:1.0.0: the SHA-1 of", "the file is damaged or not the one published");
        assertThat(work.resolve("portico-damaged.tar.gz")).doesNotExist();
    }

    @Test
    void aDescriptorErrorNamesTheFileAndTheKey() throws Exception {
        Files.writeString(work.resolve("typo.yaml"), """
                name: typo
                plugins:
                  - jar: a.jar
                    maven: com.acme:a:1.0.0
                """);

        PorticoProcess dist = dist("typo.yaml", "portico-typo.tar.gz");

        assertThat(dist.awaitExit(COMMAND)).as("exit status of `portico dist`").isEqualTo(2);
        assertThat(dist.stderr()).contains("typo.yaml: plugins[0]: expected exactly one of 'jar'");
    }

    @Test
    @EnabledIfSystemProperty(named = "portico.jlink", matches = "true")
    void aDistributionWithAJlinkedRuntimeRunsWithoutAnyJavaOnTheMachine() throws Exception {
        int port = PorticoProcess.freePort();
        try (TestOrigin origin = TestOrigin.start(TestOrigin.text("no JDK needed"))) {
            Files.writeString(work.resolve("linked.yaml"), """
                    name: linked
                    base: minimal
                    jlink: true
                    """);
            PorticoProcess dist = dist("linked.yaml", "portico-linked.tar.gz");
            assertThat(dist.awaitExit(Duration.ofMinutes(10))).as("exit status of `portico dist`\n%s", dist.output()).isZero();
            assertThat(dist.stdout()).containsPattern("runtime/ made by jlink: \\d+ modules");

            Installation linked = Installation.unpack(work.resolve("portico-linked.tar.gz"),
                    Files.createDirectory(tmp.resolve("linked")));
            assertThat(Files.getPosixFilePermissions(linked.home().resolve("runtime/bin/java")))
                    .contains(PosixFilePermission.OWNER_EXECUTE);
            assertThat(Files.readAllLines(linked.home().resolve("MANIFEST.txt")))
                    .anyMatch(line -> line.startsWith("runtime: runtime/ made by jlink") && line.contains("java.base"));
            Files.writeString(linked.config(), """
                    listen: [{address: '127.0.0.1:%d'}]
                    plugins: {dir: ../plugins}
                    upstreams:
                      app: {balancer: maglev, endpoints: [%s]}
                    routes:
                      - match: {path: /}
                        upstream: app
                    """.formatted(port, origin.address()));

            // No Java but the bundled one: JAVA_HOME leads nowhere, and the PATH holds no java.
            PorticoProcess portico = start(linked.launcher(), Map.of("JAVA_HOME", tmp.resolve("no-jdk").toString(),
                    "PATH", "/usr/bin:/bin"));
            assertThat(portico.awaitAnswer(URI.create("http://127.0.0.1:" + port + "/")).body()).isEqualTo("no JDK needed");
            assertThat(portico.terminate(SHUTDOWN)).as("exit status after SIGTERM").isZero();
        }
    }

    private PorticoProcess dist(String descriptor, String output) throws IOException {
        return start(installation.launcher(), Map.of(), "dist", "--descriptor", descriptor, "--output", output);
    }

    private PorticoProcess start(Path launcher, Map<String, String> environment, String... args) throws IOException {
        PorticoProcess process = PorticoProcess.start(launcher, work, logs, environment, args);
        started.add(process);
        return process;
    }

    /** The jar of an SDK example plugin, which the dist module's tests have on their class path. */
    private static Path sdkExample(String prefix) {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path jar = Path.of(entry);
            if (jar.getFileName().toString().startsWith(prefix) && entry.endsWith(".jar")) {
                return jar;
            }
        }
        throw new IllegalStateException("no " + prefix + "*.jar on the test class path");
    }

    /** Puts {@code jar} at {@code path} in a repository directory, with a .sha1 that matches it or not. */
    private static void publish(Path jar, Path repository, String path, boolean rightDigest) throws Exception {
        Path target = repository.resolve(path);
        Files.createDirectories(target.getParent());
        Files.copy(jar, target);
        byte[] digested = rightDigest ? Files.readAllBytes(jar) : "something else".getBytes();
        String sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(digested));
        Files.writeString(target.resolveSibling(target.getFileName() + ".sha1"), sha1 + "\n");
    }
}
