package io.portico.core.upstream.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portico.core.config.ConfigException;
import io.portico.core.config.HostPort;
import io.portico.core.config.UpstreamConfig;
import io.portico.core.config.UpstreamTlsConfig;
import io.portico.core.test.TestPortico;
import io.portico.core.upstream.UpstreamEndpoint;
import io.portico.core.upstream.UpstreamTls;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** TLS from Portico to origins: trust, server names, SNI, client certificates, health checks. */
class UpstreamTlsTest {

    @TempDir
    static Path dir;
    private static TestCa ca;
    private TlsOrigin origin;

    @BeforeAll
    static void certificates() {
        ca = TestCa.create(dir);
        ca.sign("origin", "origin.test", "DNS:origin.test");
        ca.sign("client", "portico", "DNS:portico");
        ca.sign("localhost", "localhost", "DNS:localhost");
    }

    @AfterEach
    void stopOrigin() {
        if (origin != null) {
            origin.close();
        }
    }

    private TestPortico portico(String tls) throws Exception {
        return portico(tls, "");
    }

    private TestPortico portico(String tls, String more) throws Exception {
        return portico(origin.address(), tls, more);
    }

    private TestPortico portico(String endpoint, String tls, String more) throws Exception {
        Path file = dir.resolve("portico.yaml");
        Files.writeString(file, """
                listen: [{address: '127.0.0.1:0'}]
                upstreams: {app: {balancer: sequential, endpoints: ['%s'], retries: {attempts: 0}, tls: %s%s}}
                routes: [{upstream: app}]
                """.formatted(endpoint, tls, more));
        return TestPortico.start(file);
    }

    private void startOrigin(Path clientCa) throws Exception {
        origin = TlsOrigin.https(dir.resolve("origin.pem"), dir.resolve("origin-key.pem"), clientCa, TlsOrigin.Protocol.HTTP1, 100, 0);
    }

    @Test
    void proxiesToAnOriginTheConfiguredCaVouchesFor() throws Exception {
        startOrigin(null);
        try (TestPortico portico = portico("{ca: ca.pem, server-name: origin.test}")) {
            HttpResponse<String> response = portico.get("/hello");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("HTTP/1.1 /hello");
            assertThat(origin.sniNames).containsOnly("origin.test");
        }
    }

    @Test
    void refusesAnOriginTheJdkTrustStoreDoesNotVouchFor() throws Exception {
        startOrigin(null);
        try (TestPortico portico = portico("{server-name: origin.test}")) {
            HttpResponse<String> response = portico.get("/hello");

            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).contains("TLS handshake with " + origin.address() + " (server name 'origin.test') failed")
                    .contains("certification path");
        }
    }

    @Test
    void refusesACertificateForAnotherName() throws Exception {
        startOrigin(null);
        try (TestPortico portico = portico("{ca: ca.pem, server-name: api.test}")) {
            HttpResponse<String> response = portico.get("/hello");

            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).contains("TLS handshake").contains("api.test");
            assertThat(origin.sniNames).containsOnly("api.test");
        }
    }

    @Test
    void checksAnIpEndpointWithoutServerNameAgainstTheCertificatesAddresses() throws Exception {
        startOrigin(null);
        try (TestPortico portico = portico("{ca: ca.pem}")) {
            HttpResponse<String> response = portico.get("/hello");

            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).contains("TLS handshake with " + origin.address() + " failed").contains("127.0.0.1");
            assertThat(origin.sniNames).containsOnly("(none)");
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsOrigin.Protocol.class, names = {"HTTP1", "H2"})
    void anEndpointWrittenAsAHostNameIsVerifiedAgainstThatName(TlsOrigin.Protocol protocol) throws Exception {
        String more = protocol == TlsOrigin.Protocol.H2 ? ", protocol: h2" : "";
        origin = TlsOrigin.https(dir.resolve("localhost.pem"), dir.resolve("localhost-key.pem"), null, protocol, 100, 0);
        try (TestPortico portico = portico("localhost:" + origin.port(), "{ca: ca.pem}", more)) {
            HttpResponse<String> response = portico.get("/hello");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo((protocol == TlsOrigin.Protocol.H2 ? "HTTP/2" : "HTTP/1.1") + " /hello");
            assertThat(origin.sniNames).containsOnly("localhost");
        }
        origin.close();
        origin = TlsOrigin.https(dir.resolve("origin.pem"), dir.resolve("origin-key.pem"), null, protocol, 100, 0);
        try (TestPortico portico = portico("localhost:" + origin.port(), "{ca: ca.pem}", more)) {
            HttpResponse<String> response = portico.get("/hello");

            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).contains("server name 'localhost'").contains("localhost");
            assertThat(origin.sniNames).containsOnly("localhost");
        }
    }

    @Test
    void verifyFalseAcceptsAnyCertificate() throws Exception {
        startOrigin(null);
        try (TestPortico portico = portico("{verify: false}")) {
            assertThat(portico.get("/any").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void presentsTheClientCertificateToAnOriginThatRequiresOne() throws Exception {
        startOrigin(ca.cert());
        try (TestPortico portico = portico("{ca: ca.pem, server-name: origin.test}")) {
            HttpResponse<String> response = portico.get("/mtls");
            // TLS 1.3: the origin checks the client certificate after the client's side of the handshake, and says so with an alert.
            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).containsIgnoringCase("certificate_required");
        }
        try (TestPortico portico = portico("{ca: ca.pem, server-name: origin.test, cert: client.pem, key: client-key.pem}")) {
            HttpResponse<String> response = portico.get("/mtls");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("HTTP/1.1 /mtls");
        }
    }

    @Test
    void healthChecksSpeakTlsWithTheSameVerification() throws Exception {
        startOrigin(null);
        String check = ", health-check: {interval: 100ms, path: /health, unhealthy-threshold: 1}";
        try (TestPortico portico = portico("{ca: ca.pem, server-name: origin.test}", check)) {
            UpstreamEndpoint endpoint = portico.upstream("app").endpoints().getFirst();
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(endpoint.checkReason()).isEqualTo("HTTP 200 from /health"));
            assertThat(endpoint.checkedHealthy()).isTrue();
        }
        try (TestPortico portico = portico("{server-name: origin.test}", check)) {
            UpstreamEndpoint endpoint = portico.upstream("app").endpoints().getFirst();
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(endpoint.checkReason()).startsWith("TLS handshake failed"));
            assertThat(endpoint.checkedHealthy()).isFalse();
        }
    }

    @Test
    void badFilesAreConfigErrorsNamingTheKey() throws Exception {
        startOrigin(null);
        Files.writeString(dir.resolve("junk.pem"), "not a certificate");
        assertThatThrownBy(() -> portico("{ca: missing.pem}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("upstreams.app.tls.ca").hasMessageContaining("missing.pem");
        assertThatThrownBy(() -> portico("{ca: junk.pem}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("upstreams.app.tls.ca").hasMessageContaining("junk.pem");
        assertThatThrownBy(() -> portico("{cert: client.pem, key: origin-key.pem}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("upstreams.app.tls.key").hasMessageContaining("does not belong");
        assertThatThrownBy(() -> portico("{cert: client.pem}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("upstreams.app.tls").hasMessageContaining("needs both cert and key");
    }

    @Test
    void theServerNameIsTheEndpointsHostNameUnlessConfigured() {
        UpstreamTls derived = UpstreamTls.of(new UpstreamTlsConfig(null, null, null, null, null, null),
                UpstreamConfig.Protocol.HTTP1, dir, null, "upstreams.app.tls");
        UpstreamTls configured = UpstreamTls.of(new UpstreamTlsConfig(null, null, "api.internal", null, null, null),
                UpstreamConfig.Protocol.HTTP1, dir, null, "upstreams.app.tls");
        UpstreamEndpoint named = new UpstreamEndpoint(new HostPort("origin.internal", 443), 1,
                new InetSocketAddress("127.0.0.1", 443), false);
        UpstreamEndpoint ip = new UpstreamEndpoint(new HostPort("10.0.0.7", 443), 1, new InetSocketAddress("10.0.0.7", 443), false);

        assertThat(derived.serverName(named)).isEqualTo("origin.internal");
        assertThat(derived.serverName(ip)).isNull();
        assertThat(configured.serverName(named)).isEqualTo("api.internal");
        assertThat(configured.serverName(ip)).isEqualTo("api.internal");
    }
}
