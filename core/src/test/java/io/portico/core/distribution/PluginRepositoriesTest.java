package io.portico.core.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plugin files fetched over HTTP from a repository served here, and from repository directories. */
class PluginRepositoriesTest {

    private static final byte[] PLUGIN = "a plugin's bytes".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path tmp;

    private final Map<String, byte[]> served = new ConcurrentHashMap<>();
    private HttpServer server;
    private String url;

    @BeforeEach
    void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/repo/", exchange -> {
            byte[] body = served.get(exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + "/repo";
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aReleaseIsFetchedAndCheckedAgainstItsSha1() throws Exception {
        served.put("/repo/com/acme/auth/1.2.0/auth-1.2.0.jar", PLUGIN);
        served.put("/repo/com/acme/auth/1.2.0/auth-1.2.0.jar.sha1", (sha1(PLUGIN) + "  auth-1.2.0.jar\n").getBytes());

        PluginRepositories.Found found = repositories(url).resolve(MavenCoordinates.parse("com.acme:auth:1.2.0"));

        assertThat(found.file()).hasBinaryContent(PLUGIN).hasFileName("auth-1.2.0.jar");
        assertThat(found.location()).isEqualTo(url + "/com/acme/auth/1.2.0/auth-1.2.0.jar");
        assertThat(found.sha1Verified()).isTrue();
    }

    @Test
    void aDigestThatDiffersStopsTheBuild() {
        served.put("/repo/com/acme/auth/1.2.0/auth-1.2.0.jar", PLUGIN);
        served.put("/repo/com/acme/auth/1.2.0/auth-1.2.0.jar.sha1", sha1("other".getBytes()).getBytes());

        assertThatThrownBy(() -> repositories(url).resolve(MavenCoordinates.parse("com.acme:auth:1.2.0")))
                .isInstanceOf(DistributionException.class)
                .hasMessageStartingWith("maven com.acme:auth:1.2.0: the SHA-1 of " + url)
                .hasMessageContaining("the file is damaged or not the one published");
    }

    @Test
    void aSnapshotIsFoundThroughTheRepositoryMetadata() {
        served.put("/repo/com/acme/auth/1.3.0-SNAPSHOT/maven-metadata.xml", """
                <metadata><versioning><snapshotVersions>
                  <snapshotVersion><extension>pom</extension><value>1.3.0-20261129.101500-7</value></snapshotVersion>
                  <snapshotVersion><classifier>sources</classifier><extension>jar</extension><value>1.3.0-20261129.101500-7</value></snapshotVersion>
                  <snapshotVersion><extension>jar</extension><value>1.3.0-20261129.101500-7</value></snapshotVersion>
                </snapshotVersions></versioning></metadata>
                """.getBytes(StandardCharsets.UTF_8));
        served.put("/repo/com/acme/auth/1.3.0-SNAPSHOT/auth-1.3.0-20261129.101500-7.jar", PLUGIN);

        PluginRepositories.Found found = repositories(url).resolve(MavenCoordinates.parse("com.acme:auth:1.3.0-SNAPSHOT"));

        assertThat(found.file()).hasBinaryContent(PLUGIN).hasFileName("auth-1.3.0-20261129.101500-7.jar");
        assertThat(found.sha1Verified()).isFalse();
    }

    @Test
    void repositoriesAreTriedInOrderAndAMissingPluginNamesWhereItWasLookedFor() throws Exception {
        Path local = tmp.resolve("local");
        Files.createDirectories(local.resolve("com/acme/geo/2.0.0"));
        Files.write(local.resolve("com/acme/geo/2.0.0/geo-2.0.0.zip"), PLUGIN);
        served.put("/repo/com/acme/geo/2.0.0/geo-2.0.0.zip", "the remote one".getBytes());

        PluginRepositories repositories = repositories("./local", url);
        assertThat(repositories.resolve(MavenCoordinates.parse("com.acme:geo:zip:2.0.0")).file())
                .isEqualTo(local.resolve("com/acme/geo/2.0.0/geo-2.0.0.zip"));
        assertThatThrownBy(() -> repositories.resolve(MavenCoordinates.parse("com.acme:nope:1.0.0")))
                .hasMessage("maven com.acme:nope:1.0.0: not found in any repository; looked for "
                        + local.resolve("com/acme/nope/1.0.0/nope-1.0.0.jar") + ", " + url + "/com/acme/nope/1.0.0/nope-1.0.0.jar");
    }

    @Test
    void coordinatesMustBeWellFormed() {
        assertThatThrownBy(() -> MavenCoordinates.parse("com.acme:auth"))
                .hasMessage("expected Maven coordinates groupId:artifactId:version (or groupId:artifactId:zip:version"
                        + " for a plugin zip), got 'com.acme:auth'");
        assertThatThrownBy(() -> MavenCoordinates.parse("com.acme:auth:war:1.0"))
                .hasMessage("expected the extension jar or zip in 'com.acme:auth:war:1.0', got 'war'");
    }

    private PluginRepositories repositories(String... entries) {
        return new PluginRepositories(List.of(entries), tmp, tmp.resolve("downloads"));
    }

    private static String sha1(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(content));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
