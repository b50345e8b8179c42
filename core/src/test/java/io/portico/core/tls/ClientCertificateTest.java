package io.portico.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portico.core.config.ConfigException;
import io.portico.core.test.TestOrigin;
import io.portico.core.test.TestPortico;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Mutual TLS on listeners, driven with curl and certificates made by the openssl command. */
class ClientCertificateTest {

    private static final String ALICE_SANS = "DNS:alice.client.test,email:alice@example.org,URI:spiffe://example.org/alice,IP:10.0.0.7";

    private TestOrigin origin;

    @TempDir
    Path dir;

    @BeforeEach
    void setUp() {
        origin = TestOrigin.start(TestOrigin.text("hello"));
        TestCerts.create(dir, "local", "localhost", "DNS:localhost", TestCerts.KeyFormat.PKCS8_RSA);
        createCa("ca", "Test Client CA");
        createClient("alice", "ca", "/O=Example Corp/CN=alice", "0x1A2B3C", ALICE_SANS);
        createCa("rogue-ca", "Rogue CA");
        createClient("mallory", "rogue-ca", "/CN=mallory", "0x99", "DNS:mallory.test");
    }

    @AfterEach
    void tearDown() {
        origin.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"openssl", "jdk"})
    void requireServesCertifiedClientsAndForwardsTheirCertificate(String provider) throws Exception {
        try (TestPortico portico = start("provider: " + provider + ", client-auth: require, client-ca: ca.pem,"
                + " forward-client-cert: {subject: X-Client-Subject, issuer: X-Client-Issuer, serial: X-Client-Serial,"
                + " sans: X-Client-SANs, not-after: X-Client-Not-After, cert: X-Client-Cert}")) {
            Curl ok = curl(portico, "/", "--cert", "alice.pem", "--key", "alice-key.pem",
                    "-H", "X-Client-Subject: CN=admin", "-H", "X-Client-SANs: DNS:admin.test", "-H", "x-client-cert: forged");
            assertThat(ok.output()).isEqualTo("hello");

            TestOrigin.Received received = origin.takeRequest();
            assertThat(received.headers().get("x-client-subject")).containsExactly("CN=alice,O=Example Corp");
            assertThat(received.headers().get("x-client-sans")).containsExactly(
                    "DNS:alice.client.test, email:alice@example.org, URI:spiffe://example.org/alice, IP:10.0.0.7");
            assertThat(received.header("x-client-issuer")).isEqualTo("CN=Test Client CA");
            assertThat(received.header("x-client-serial")).isEqualTo("1A2B3C");
            assertThat(received.header("x-client-not-after"))
                    .isEqualTo(PemFiles.certificates(dir.resolve("alice.pem")).getFirst().getNotAfter().toInstant().toString());
            assertThat(received.headers().get("x-client-cert")).hasSize(1);
            assertThat(received.header("x-client-cert")).doesNotContain("\n", " ", "+").startsWith("-----BEGIN%20CERTIFICATE-----%0A");
            assertThat(URLDecoder.decode(received.header("x-client-cert").replace("+", "%2B"), StandardCharsets.UTF_8))
                    .isEqualTo(Files.readString(dir.resolve("alice.pem")));

            Curl without = curl(portico, "/");
            assertThat(without.exitCode()).as(without.output()).isNotZero();
            assertThat(without.output()).doesNotContain("hello");
            assertThat(origin.pendingRequests()).isZero();
        }
    }

    @Test
    void requestServesClientsWithAndWithoutCertificatesAndFiltersSeeWhich() throws Exception {
        try (TestPortico portico = start("client-auth: request, client-ca: ca.pem,"
                + " forward-client-cert: {subject: X-Client-Subject}",
                "{match: {path: {exact: /whoami}}, upstream: app, filters: [client-cert-echo]}")) {
            String notAfter = PemFiles.certificates(dir.resolve("alice.pem")).getFirst().getNotAfter().toInstant().toString();
            assertThat(curl(portico, "/whoami", "--cert", "alice.pem", "--key", "alice-key.pem").output())
                    .isEqualTo("subject=CN=alice,O=Example Corp issuer=CN=Test Client CA serial=1a2b3c dns=[alice.client.test]"
                            + " email=[alice@example.org] uri=[spiffe://example.org/alice] ip=[10.0.0.7] not-after=" + notAfter
                            + " protocol=TLSv1.3 sni=localhost");
            assertThat(curl(portico, "/whoami", "--tls-max", "1.2").output())
                    .isEqualTo("no certificate protocol=TLSv1.2 sni=localhost");

            assertThat(curl(portico, "/", "-H", "X-Client-Subject: CN=admin").output()).isEqualTo("hello");
            assertThat(origin.takeRequest().headers()).as("a client without a certificate cannot claim one")
                    .doesNotContainKey("x-client-subject");
            assertThat(curl(portico, "/", "--cert", "alice.pem", "--key", "alice-key.pem").output()).isEqualTo("hello");
            assertThat(origin.takeRequest().header("x-client-subject")).isEqualTo("CN=alice,O=Example Corp");

            String sClient = TestCerts.run(dir, "openssl", "s_client", "-connect", "127.0.0.1:" + portico.port(),
                    "-servername", "localhost");
            assertThat(sClient).as("the authorities are named to clients")
                    .containsPattern("Acceptable client certificate CA names\\s+/?CN\\s*=\\s*Test Client CA");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"request", "require"})
    void aCertificateFromAnotherAuthorityFailsTheHandshake(String clientAuth) throws Exception {
        try (TestPortico portico = start("client-auth: " + clientAuth + ", client-ca: ca.pem")) {
            Curl rogue = curl(portico, "/", "--cert", "mallory.pem", "--key", "mallory-key.pem");
            assertThat(rogue.exitCode()).as(rogue.output()).isNotZero();
            assertThat(rogue.output()).doesNotContain("hello");
            assertThat(origin.pendingRequests()).isZero();
        }
    }

    @Test
    void theClientCaIsReloadedWithTheCertificates() throws Exception {
        Files.copy(dir.resolve("ca.pem"), dir.resolve("trusted.pem"));
        try (TestPortico portico = start("client-auth: require, client-ca: trusted.pem, reload-interval: 100ms")) {
            assertThat(curl(portico, "/", "--cert", "alice.pem", "--key", "alice-key.pem").output()).isEqualTo("hello");

            Files.copy(dir.resolve("rogue-ca.pem"), dir.resolve("trusted.pem"), StandardCopyOption.REPLACE_EXISTING);
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> curl(portico, "/", "--cert", "mallory.pem", "--key", "mallory-key.pem").output().equals("hello"));
            assertThat(curl(portico, "/", "--cert", "alice.pem", "--key", "alice-key.pem").exitCode()).isNotZero();
        }
    }

    @Test
    void clientAuthWithoutAUsableCaIsAConfigurationError() throws Exception {
        assertThatThrownBy(() -> start("client-auth: require"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("listen[0].tls")
                .hasMessageContaining("client-ca: required with client-auth require");
        assertThatThrownBy(() -> start("client-ca: ca.pem"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("listen[0].tls")
                .hasMessageContaining("client-ca: only used with client-auth request or require");
        assertThatThrownBy(() -> start("forward-client-cert: {subject: X-Client-Subject}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("forward-client-cert: needs client-auth");
        assertThatThrownBy(() -> start("client-auth: request, client-ca: ca.pem, forward-client-cert: {subject: 'X Subject'}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("listen[0].tls.forward-client-cert")
                .hasMessageContaining("subject: expected a header name");
        assertThatThrownBy(() -> start("client-auth: request, client-ca: ca.pem, forward-client-cert: {sans: Host}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("sans: Host frames or forwards the request");

        Files.writeString(dir.resolve("junk.pem"), "not a certificate\n");
        assertThatThrownBy(() -> start("client-auth: request, client-ca: junk.pem"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("listen[0].tls.client-ca")
                .hasMessageContaining(dir.resolve("junk.pem").toString());
        assertThatThrownBy(() -> start("client-auth: request, client-ca: missing.pem"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("listen[0].tls.client-ca")
                .hasMessageContaining("cannot read " + dir.resolve("missing.pem"));
    }

    private TestPortico start(String tls, String... routes) throws IOException {
        List<String> allRoutes = new ArrayList<>(List.of(routes));
        allRoutes.add("{upstream: app}");
        Path file = dir.resolve("portico.yaml");
        Files.writeString(file, """
                listen: [{address: '127.0.0.1:0', tls: {certs: [{cert: local.pem, key: local-key.pem}], %s}}]
                upstreams: {app: {balancer: sequential, endpoints: ['%s']}}
                routes: [%s]
                """.formatted(tls, origin.address(), String.join(", ", allRoutes)));
        return TestPortico.start(file);
    }

    /** What curl printed (the body, or its error) and its exit code. */
    private record Curl(int exitCode, String output) {
    }

    /** A GET of {@code path} with curl, which trusts the listener's certificate; {@code options} go before the URL. */
    private Curl curl(TestPortico portico, String path, String... options) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10", "--cacert", "local.pem",
                "--resolve", "localhost:" + portico.port() + ":127.0.0.1"));
        command.addAll(List.of(options));
        command.add("https://localhost:" + portico.port() + path);
        TestCerts.Ran ran = TestCerts.exec(dir, command);
        return new Curl(ran.exitCode(), ran.output());
    }

    /** Writes {@code <name>.pem} and {@code <name>-key.pem}: a self-signed certificate authority. */
    private void createCa(String name, String cn) {
        TestCerts.run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=" + cn,
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-keyout", name + "-key.pem", "-out", name + ".pem");
    }

    /** Writes {@code <name>.pem} and {@code <name>-key.pem}: a client certificate issued by the authority {@code ca}. */
    private void createClient(String name, String ca, String subject, String serial, String sans) {
        try {
            Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=" + sans + "\nextendedKeyUsage=clientAuth\n");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        TestCerts.run(dir, "openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", subject,
                "-keyout", name + "-key.pem", "-out", name + ".csr");
        TestCerts.run(dir, "openssl", "x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + "-key.pem",
                "-set_serial", serial, "-days", "2", "-extfile", name + ".ext", "-out", name + ".pem");
    }
}
