package io.portico.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portico.core.config.ConfigException;
import io.portico.core.test.RawClient;
import io.portico.core.test.TestOrigin;
import io.portico.core.test.TestPortico;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TlsListenerTest {

    private TestOrigin origin;

    @TempDir
    Path dir;

    @BeforeEach
    void startOrigin() {
        origin = TestOrigin.start(TestOrigin.text("hello"));
    }

    @AfterEach
    void stopOrigin() {
        origin.close();
    }

    private TestPortico start(String listener) throws Exception {
        Path file = dir.resolve("portico.yaml");
        Files.writeString(file, """
                listen: [%s]
                upstreams: {app: {balancer: sequential, endpoints: ['%s']}}
                routes: [{upstream: app}]
                """.formatted(listener, origin.address()));
        return TestPortico.start(file);
    }

    @Test
    void servesHttpsWithAlpnAndForwardsTheScheme() throws Exception {
        TestCerts.create(dir, "local", "localhost", "DNS:localhost,IP:127.0.0.1", TestCerts.KeyFormat.PKCS8_RSA);
        try (TestPortico portico = start("{address: '127.0.0.1:0', tls: {certs: [{cert: local.pem, key: local-key.pem}],"
                + " hsts: {max-age: 1d, include-subdomains: true}}}")) {
            HttpClient client = HttpClient.newBuilder().sslContext(TestCerts.trusting(dir.resolve("local.pem")))
                    .version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + portico.port() + "/hi")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello");
            assertThat(response.headers().firstValue("strict-transport-security")).hasValue("max-age=86400; includeSubDomains");
            TestOrigin.Received received = origin.takeRequest();
            assertThat(received.header("x-forwarded-proto")).isEqualTo("https");
            assertThat(received.header("forwarded")).contains("proto=https");

            try (SSLSocket socket = handshake(portico.port(), null, List.of("h2", "http/1.1"), dir.resolve("local.pem"))) {
                assertThat(socket.getApplicationProtocol()).as("HTTP/2 is on by default").isEqualTo("h2");
            }
        }
    }

    @Test
    void curlVerifiesTheChain() throws Exception {
        TestCerts.create(dir, "local", "localhost", "DNS:localhost", TestCerts.KeyFormat.PKCS8_RSA);
        try (TestPortico portico = start("{address: '127.0.0.1:0', tls: {certs: [{cert: local.pem, key: local-key.pem}]}}")) {
            String out = TestCerts.run(dir, "curl", "-sS", "--cacert", "local.pem",
                    "--resolve", "localhost:" + portico.port() + ":127.0.0.1",
                    "-w", " %{http_version}", "https://localhost:" + portico.port() + "/");
            assertThat(out).isEqualTo("hello 2");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"openssl", "jdk"})
    void picksTheCertificateByServerNameInEveryKeyFormat(String provider) throws Exception {
        TestCerts.create(dir, "main", "main.test", "DNS:main.test", TestCerts.KeyFormat.PKCS8_RSA);
        TestCerts.create(dir, "wild", "wild.test", "DNS:*.api.test", TestCerts.KeyFormat.SEC1_EC);
        TestCerts.create(dir, "legacy", "legacy.test", "DNS:legacy.test", TestCerts.KeyFormat.PKCS1_RSA);
        assertThat(Files.readString(dir.resolve("wild-key.pem"))).contains("BEGIN EC PRIVATE KEY");
        assertThat(Files.readString(dir.resolve("legacy-key.pem"))).contains("BEGIN RSA PRIVATE KEY");
        try (TestPortico portico = start("{address: '127.0.0.1:0', tls: {provider: " + provider + ", certs: ["
                + "{cert: main.pem, key: main-key.pem}, {cert: wild.pem, key: wild-key.pem},"
                + " {cert: legacy.pem, key: legacy-key.pem, hosts: [old.test]}]}}")) {
            Path[] all = {dir.resolve("main.pem"), dir.resolve("wild.pem"), dir.resolve("legacy.pem")};
            assertThat(subject(portico.port(), "main.test", all)).isEqualTo("CN=main.test");
            assertThat(subject(portico.port(), "v1.api.test", all)).isEqualTo("CN=wild.test");
            assertThat(subject(portico.port(), "a.b.api.test", all)).as("a wildcard covers one label").isEqualTo("CN=main.test");
            assertThat(subject(portico.port(), "old.test", all)).isEqualTo("CN=legacy.test");
            assertThat(subject(portico.port(), "legacy.test", all)).as("hosts replace the certificate's names")
                    .isEqualTo("CN=main.test");
            assertThat(subject(portico.port(), "unknown.test", all)).as("the first certificate is the default")
                    .isEqualTo("CN=main.test");
            assertThat(subject(portico.port(), null, all)).isEqualTo("CN=main.test");

            String sClient = TestCerts.run(dir, "openssl", "s_client", "-connect", "127.0.0.1:" + portico.port(),
                    "-servername", "v2.api.test");
            assertThat(sClient).containsPattern("subject=\\s*CN\\s*=\\s*wild.test");
        }
    }

    @Test
    void reloadsChangedCertificatesWithoutRestart() throws Exception {
        TestCerts.create(dir, "site", "before.test", "DNS:site.test", TestCerts.KeyFormat.PKCS8_RSA);
        TestCerts.create(dir, "next", "after.test", "DNS:site.test,IP:127.0.0.1", TestCerts.KeyFormat.SEC1_EC);
        try (TestPortico portico = start("{address: '127.0.0.1:0', tls: {reload-interval: 100ms,"
                + " certs: [{cert: site.pem, key: site-key.pem}]}}")) {
            Files.copy(dir.resolve("site.pem"), dir.resolve("before.pem"));
            Path[] both = {dir.resolve("before.pem"), dir.resolve("next.pem")};
            assertThat(subject(portico.port(), "site.test", both)).isEqualTo("CN=before.test");

            // The key first: until the certificate follows, the pair does not match and the old one stays.
            Files.copy(dir.resolve("next-key.pem"), dir.resolve("site-key.pem"), StandardCopyOption.REPLACE_EXISTING);
            assertThat(subject(portico.port(), "site.test", both)).isEqualTo("CN=before.test");
            Files.copy(dir.resolve("next.pem"), dir.resolve("site.pem"), StandardCopyOption.REPLACE_EXISTING);

            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> subject(portico.port(), "site.test", both).equals("CN=after.test"));
            HttpClient client = HttpClient.newBuilder().sslContext(TestCerts.trusting(dir.resolve("next.pem"))).build();
            assertThat(client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + portico.port() + "/")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("hello");
        }
    }

    @Test
    void aBadKeyFileIsAConfigurationErrorNamingIt() throws Exception {
        TestCerts.create(dir, "good", "good.test", "DNS:good.test", TestCerts.KeyFormat.PKCS8_RSA);
        TestCerts.create(dir, "other", "other.test", "DNS:other.test", TestCerts.KeyFormat.PKCS8_RSA);
        Files.writeString(dir.resolve("junk-key.pem"), "not a key\n");

        assertThatThrownBy(() -> start("{address: '127.0.0.1:0', tls: {certs: [{cert: good.pem, key: junk-key.pem}]}}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("listen[0].tls.certs[0].key")
                .hasMessageContaining(dir.resolve("junk-key.pem").toString())
                .hasMessageContaining("expected a PEM private key");
        assertThatThrownBy(() -> start("{address: '127.0.0.1:0', tls: {certs: [{cert: good.pem, key: good-key.pem},"
                + " {cert: good.pem, key: other-key.pem}]}}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("listen[0].tls.certs[1].key")
                .hasMessageContaining("does not belong to the certificate");
        assertThatThrownBy(() -> start("{address: '127.0.0.1:0', tls: {certs: [{cert: missing.pem, key: good-key.pem}]}}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("listen[0].tls.certs[0].cert")
                .hasMessageContaining("missing.pem");
        assertThatThrownBy(() -> start("{address: '127.0.0.1:0', redirect-https: true,"
                + " tls: {certs: [{cert: good.pem, key: good-key.pem}]}}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("listen[0]")
                .hasMessageContaining("redirect-https is only for plain http listeners");
        assertThatThrownBy(() -> start("{address: '127.0.0.1:0', tls: {ciphers: [NO_SUCH_CIPHER],"
                + " certs: [{cert: good.pem, key: good-key.pem}]}}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("listen[0].tls")
                .hasMessageContaining("ciphers");
    }

    @Test
    void aHandshakeThatStallsIsCutOffAtTheHeaderTimeout() throws Exception {
        TestCerts.create(dir, "local", "localhost", "DNS:localhost", TestCerts.KeyFormat.PKCS8_RSA);
        Path file = dir.resolve("portico.yaml");
        Files.writeString(file, """
                listen: [{address: '127.0.0.1:0', tls: {certs: [{cert: local.pem, key: local-key.pem}]}}]
                server: {header-timeout: 300ms}
                upstreams: {app: {balancer: sequential, endpoints: ['%s']}}
                routes: [{upstream: app}]
                """.formatted(origin.address()));
        try (TestPortico portico = TestPortico.start(file);
             RawClient client = new RawClient(portico.port()).timeout(5_000)) {
            long started = System.nanoTime();
            client.send(new byte[] {0x16, 0x03, 0x01}); // the start of a ClientHello, and no more
            assertThat(client.closedByPeer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void redirectsPlainHttpToHttps() throws Exception {
        try (TestPortico portico = start("{address: '127.0.0.1:0', redirect-https: true}");
             RawClient client = new RawClient(portico.port())) {
            RawClient.Response response = client.send("GET /a/b?c=d HTTP/1.1\r\nHost: shop.test:8080\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(308);
            assertThat(response.header("location")).isEqualTo("https://shop.test/a/b?c=d");
            assertThat(origin.pendingRequests()).as("nothing reaches the origin").isZero();
        }
    }

    private static String subject(int port, String serverName, Path... trusted) throws Exception {
        try (SSLSocket socket = handshake(port, serverName, List.of("http/1.1"), trusted)) {
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }

    private static SSLSocket handshake(int port, String serverName, List<String> alpn, Path... trusted) throws Exception {
        SSLSocket socket = (SSLSocket) TestCerts.trusting(trusted).getSocketFactory().createSocket("127.0.0.1", port);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
        parameters.setApplicationProtocols(alpn.toArray(String[]::new));
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return socket;
    }
}
