package io.portico.js;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.core.test.TestOrigin;
import io.portico.core.test.TestPortico;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code req.tls} and {@code req.clientCertificate} in a real Portico with three listeners: plain
 * HTTP, TLS, and TLS that requires client certificates, called with curl.
 */
class TlsFactsTest {

    @TempDir
    static Path dir;
    static MutualTls certs;
    static X509Certificate alice;
    static TestOrigin origin;
    static TestPortico portico;
    static int plainPort;
    static int tlsPort;
    static int mutualPort;

    @BeforeAll
    static void start() {
        certs = new MutualTls(dir);
        alice = certs.client("alice", "/O=Example Corp/CN=alice", "0x1A2B3C",
                "DNS:alice.client.test,email:alice@example.org,URI:spiffe://example.org/alice,IP:10.0.0.7");
        origin = TestOrigin.start(TestOrigin.text("from origin"));
        ConfigDir config = new ConfigDir(dir);
        config.script("facts.js", """
                export function onRequest(req, ctx) {
                  ctx.respond({body: {secure: req.secure, tls: req.tls, clientCertificate: req.clientCertificate}});
                }
                """);
        config.script("whoami.js", """
                export function onRequest(req, ctx) {
                  const cert = req.clientCertificate;
                  const spiffe = cert.sans.find(san => san.type === 'URI').value;
                  ctx.respond({body: `${cert.subject} ${spiffe} ${cert.serialNumber} ${req.tls.clientCertificate === cert}`});
                }
                """);
        config.script("same-connection.js", """
                let last;
                export function onRequest(req, ctx) {
                  const tls = req.tls;
                  // A kept req.tls stays readable after its call.
                  ctx.respond({body: tls === last ? `same, kept: ${last.protocol}\\n` : 'new\\n'});
                  last = tls;
                }
                """);
        config.script("assign.js", """
                export function onRequest(req, ctx) {
                  req.clientCertificate = {subject: 'CN=admin'};
                }
                """);
        config.script("modify.js", """
                const attempts = {
                  tls: req => { req.tls = null; },
                  protocol: req => { req.tls.protocol = 'TLSv1.3'; },
                  subject: req => { req.clientCertificate.subject = 'CN=admin'; },
                  san: req => { req.clientCertificate.sans[0].value = 'admin.test'; },
                  push: req => { req.clientCertificate.sans.push({type: 'URI', value: 'spiffe://example.org/admin'}); },
                  element: req => { req.clientCertificate.sans[0] = {type: 'DNS', value: 'admin.test'}; },
                };
                export function onRequest(req, ctx) {
                  const results = [];
                  for (const [name, attempt] of Object.entries(attempts)) {
                    try {
                      attempt(req);
                      results.push(name + ': allowed');
                    } catch (e) {
                      results.push(name + ': ' + e.message);
                    }
                  }
                  results.push('subject still ' + req.clientCertificate.subject + ', ' + req.clientCertificate.sans.length + ' sans');
                  ctx.respond({body: results.join('\\n')});
                }
                """);
        config.write("portico.yaml", """
                listen:
                  - {address: '127.0.0.1:0'}
                  - %s
                  - %s
                upstreams: {app: {balancer: sequential, endpoints: ['%s']}}
                routes:
                  - {match: {path: /facts}, upstream: app, filters: [{js: {script: filters/facts.js}}]}
                  - {match: {path: /whoami}, upstream: app, filters: [{js: {script: filters/whoami.js}}]}
                  - {match: {path: /same}, upstream: app, filters: [{js: {script: filters/same-connection.js}}]}
                  - {match: {path: /assign}, upstream: app, filters: [{js: {script: filters/assign.js}}]}
                  - {match: {path: /modify}, upstream: app, filters: [{js: {script: filters/modify.js}}]}
                """.formatted(MutualTls.listener(""), MutualTls.listener("client-auth: require, client-ca: ca.pem"),
                origin.address()));
        portico = TestPortico.start(dir.resolve("portico.yaml"));
        List<Integer> ports = portico.portico().ports();
        plainPort = ports.get(0);
        tlsPort = ports.get(1);
        mutualPort = ports.get(2);
    }

    @AfterAll
    static void stop() {
        portico.close();
        origin.close();
    }

    private static MutualTls.Curl asAlice(String path) {
        return certs.curl(mutualPort, path, "--cert", "alice.pem", "--key", "alice-key.pem");
    }

    @Test
    void aPlainRequestHasNoTls() {
        HttpResponse<String> response = portico.get("/facts");

        assertThat(plainPort).isEqualTo(portico.port());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"secure\":false,\"tls\":null,\"clientCertificate\":null}");
    }

    @Test
    void aTlsRequestWithoutACertificateSeesTheSessionAndNoCertificate() {
        MutualTls.Curl tls13 = certs.curl(tlsPort, "/facts");
        MutualTls.Curl tls12 = certs.curl(tlsPort, "/facts", "--tls-max", "1.2");
        MutualTls.Curl withoutSni = certs.curl(tlsPort, "https://127.0.0.1:" + tlsPort + "/facts");

        assertThat(tls13.output()).matches("\\{\"secure\":true,\"tls\":\\{\"cipherSuite\":\"TLS_\\w+\",\"clientCertificate\":null,"
                + "\"protocol\":\"TLSv1.3\",\"serverName\":\"localhost\"},\"clientCertificate\":null}");
        assertThat(tls12.output()).matches("\\{\"secure\":true,\"tls\":\\{\"cipherSuite\":\"TLS_ECDHE_\\w+\",\"clientCertificate\":null,"
                + "\"protocol\":\"TLSv1.2\",\"serverName\":\"localhost\"},\"clientCertificate\":null}");
        assertThat(withoutSni.output()).as("curl sends no SNI for an address").contains("\"serverName\":null");
    }

    @Test
    void aClientCertificateShowsItsSubjectSansAndSerial() {
        MutualTls.Curl whoami = asAlice("/whoami");

        assertThat(whoami.output()).isEqualTo("CN=alice,O=Example Corp spiffe://example.org/alice 1A2B3C true");
        assertThat(origin.pendingRequests()).isZero();
    }

    @Test
    void aClientCertificateHasEveryFactAsText() {
        MutualTls.Curl facts = asAlice("/facts");

        String certificate = ("{\"issuer\":\"CN=Test Client CA\",\"notAfter\":\"%s\",\"notBefore\":\"%s\","
                + "\"sans\":[{\"type\":\"DNS\",\"value\":\"alice.client.test\"},{\"type\":\"EMAIL\",\"value\":\"alice@example.org\"},"
                + "{\"type\":\"URI\",\"value\":\"spiffe://example.org/alice\"},{\"type\":\"IP\",\"value\":\"10.0.0.7\"}],"
                + "\"serialNumber\":\"1A2B3C\",\"subject\":\"CN=alice,O=Example Corp\"}")
                .formatted(alice.getNotAfter().toInstant(), alice.getNotBefore().toInstant());
        assertThat(facts.output()).startsWith("{\"secure\":true,\"tls\":{\"cipherSuite\":\"TLS_")
                .contains("\"clientCertificate\":" + certificate + ",\"protocol\":\"TLSv1.3\",\"serverName\":\"localhost\"},")
                .endsWith(",\"clientCertificate\":" + certificate + "}");
    }

    @Test
    void theTlsObjectIsKeptForTheRequestsOfAConnection() {
        MutualTls.Curl first = asAlice("/same");
        MutualTls.Curl keepAlive = certs.curl(mutualPort, List.of("/same", "/same"), "--cert", "alice.pem", "--key", "alice-key.pem");

        assertThat(first.output()).isEqualTo("new\n");
        assertThat(keepAlive.output()).isEqualTo("new\nsame, kept: TLSv1.3\n");
    }

    @Test
    void assigningTheCertificateFailsTheRequestWithTheScriptsLine() {
        try (LogCapture log = new LogCapture("io.portico.js.JsFilter")) {
            MutualTls.Curl assign = certs.curl(mutualPort, "/assign", "--cert", "alice.pem", "--key", "alice-key.pem",
                    "-w", " %{http_code}");

            assertThat(assign.output()).isEqualTo("internal server error\n 500");
            assertThat(log.messages()).anySatisfy(m -> assertThat(m)
                    .startsWith("filters/assign.js:2: req.clientCertificate cannot be assigned"));
        }
        assertThat(origin.pendingRequests()).isZero();
    }

    @Test
    void theTlsFactsCannotBeChanged() {
        assertThat(asAlice("/modify").output()).isEqualTo("""
                tls: req.tls cannot be assigned
                protocol: req.tls.protocol cannot be assigned
                subject: req.clientCertificate.subject cannot be assigned
                san: req.clientCertificate.sans[0].value cannot be assigned
                push: req.clientCertificate.sans cannot be changed
                element: req.clientCertificate.sans cannot be changed
                subject still CN=alice,O=Example Corp, 4 sans""");
    }
}
