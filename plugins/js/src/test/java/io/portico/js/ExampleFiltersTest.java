package io.portico.js;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.core.test.TestOrigin;
import io.portico.core.test.TestPortico;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK's example filters (sdk-examples/js), each on a route of one real Portico; {@code
 * require-client-uri.js} on a Portico of its own, whose listener asks for client certificates.
 */
class ExampleFiltersTest {

    @TempDir
    static Path dir;
    static TestOrigin origin;
    static TestOrigin jsonOrigin;
    static TestPortico portico;

    @BeforeAll
    static void start() {
        origin = TestOrigin.start((exchange, request) -> {
            exchange.getResponseHeaders().set("Server", "origin/1.0");
            exchange.getResponseHeaders().set("X-Powered-By", "tests");
            TestOrigin.respond(exchange, 200, "variant=" + request.header("x-variant"));
        });
        jsonOrigin = TestOrigin.start((exchange, request) -> {
            byte[] body = """
                    {"user": {"name": "ann", "Password": "hunter2", "cards": [{"ssn": "123", "last4": "4242"}]}}"""
                    .getBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        });
        ConfigDir config = new ConfigDir(dir);
        for (String example : new String[] {"add-request-id.js", "ab-split.js", "deny.js", "redact-json.js",
                "security-headers.js"}) {
            config.example(example);
        }
        portico = TestPortico.start(config.config("""
                upstreams:
                  app: {balancer: sequential, endpoints: ['%s']}
                  json: {balancer: sequential, endpoints: ['%s']}
                routes:
                  - match: {path: /id/}
                    upstream: app
                    filters: [{js: {script: filters/add-request-id.js}}]
                  - match: {path: /ab/}
                    upstream: app
                    filters:
                      - js: {script: filters/ab-split.js, config: {cookie: ab, header: x-variant, variants: {red: 1, blue: 1}}}
                  - match: {path: /deny/}
                    upstream: app
                    filters:
                      - js: {script: filters/deny.js, config: {paths: [/deny/admin/], methods: [DELETE], message: go away}}
                  - match: {path: /json/}
                    upstream: json
                    filters:
                      - js: {script: filters/redact-json.js, response-body: 1MB, config: {fields: [password, ssn]}}
                  - match: {path: /secure/}
                    upstream: app
                    filters:
                      - js: {script: filters/security-headers.js, config: {content-security-policy: "default-src 'self'"}}
                """.formatted(origin.address(), jsonOrigin.address())));
    }

    @AfterAll
    static void stop() {
        portico.close();
        origin.close();
        jsonOrigin.close();
    }

    private static HttpResponse<String> send(String method, String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(portico.uri(path)).method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return portico.send(request.build());
    }

    @Test
    void addRequestIdGivesEachRequestANewIdAndReturnsIt() {
        HttpResponse<String> first = send("GET", "/id/a");
        String seen = origin.takeRequest().header("x-request-id");
        HttpResponse<String> second = send("GET", "/id/a");
        origin.takeRequest();

        assertThat(seen).matches("[0-9a-f]{32}");
        assertThat(first.headers().firstValue("x-request-id")).contains(seen);
        assertThat(second.headers().firstValue("x-request-id")).get().isNotEqualTo(seen);
    }

    @Test
    void addRequestIdKeepsTheClientsIdAndReplacesAMalformedOne() {
        HttpResponse<String> kept = send("GET", "/id/b", "X-Request-Id", "client-id-42");
        assertThat(origin.takeRequest().header("x-request-id")).isEqualTo("client-id-42");
        assertThat(kept.headers().firstValue("x-request-id")).contains("client-id-42");

        send("GET", "/id/b", "X-Request-Id", "bad id with spaces");
        assertThat(origin.takeRequest().header("x-request-id")).matches("[0-9a-f]{32}");
    }

    @Test
    void abSplitAssignsAVariantWithACookieAndKeepsClientsOnIt() {
        Set<String> variants = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            HttpResponse<String> response = send("GET", "/ab/page");
            String variant = origin.takeRequest().header("x-variant");
            variants.add(variant);
            assertThat(response.headers().firstValue("set-cookie")).contains(
                    "ab=" + variant + "; Path=/; Max-Age=2592000; SameSite=Lax");
        }
        assertThat(variants).containsExactlyInAnyOrder("red", "blue");

        HttpResponse<String> returning = send("GET", "/ab/page", "Cookie", "theme=dark; ab=blue");
        assertThat(origin.takeRequest().header("x-variant")).isEqualTo("blue");
        assertThat(returning.body()).isEqualTo("variant=blue");
        assertThat(returning.headers().firstValue("set-cookie")).isEmpty();

        send("GET", "/ab/page", "Cookie", "ab=green");
        assertThat(origin.takeRequest().header("x-variant")).isIn("red", "blue");
    }

    @Test
    void denyRefusesConfiguredPathsAndMethodsWith403() {
        HttpResponse<String> admin = send("GET", "/deny/admin/users");
        HttpResponse<String> delete = send("DELETE", "/deny/items/1");
        HttpResponse<String> allowed = send("GET", "/deny/items/1");

        assertThat(admin.statusCode()).isEqualTo(403);
        assertThat(admin.body()).isEqualTo("go away\n");
        assertThat(admin.headers().firstValue("content-type")).contains("text/plain; charset=utf-8");
        assertThat(delete.statusCode()).isEqualTo(403);
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(origin.takeRequest().uri()).isEqualTo("/deny/items/1");
        assertThat(origin.pendingRequests()).isZero();
    }

    @Test
    void securityHeadersAreAddedAndSoftwareHeadersRemoved() {
        HttpResponse<String> response = send("GET", "/secure/");
        origin.takeRequest();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("strict-transport-security")).contains("max-age=31536000; includeSubDomains");
        assertThat(response.headers().firstValue("x-content-type-options")).contains("nosniff");
        assertThat(response.headers().firstValue("x-frame-options")).contains("DENY");
        assertThat(response.headers().firstValue("referrer-policy")).contains("strict-origin-when-cross-origin");
        assertThat(response.headers().firstValue("content-security-policy")).contains("default-src 'self'");
        assertThat(response.headers().firstValue("server")).isEmpty();
        assertThat(response.headers().firstValue("x-powered-by")).isEmpty();
    }

    @Test
    void redactJsonReplacesSensitiveFieldsAtAnyDepth() {
        HttpResponse<String> response = send("GET", "/json/user");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(
                "{\"user\":{\"name\":\"ann\",\"Password\":\"[redacted]\",\"cards\":[{\"ssn\":\"[redacted]\",\"last4\":\"4242\"}]}}");
        assertThat(response.headers().firstValue("content-length")).contains(String.valueOf(response.body().length()));
    }

    @Test
    void requireClientUriLetsThroughOnlyCertificatesWithAnAllowedUri(@TempDir Path tlsDir) {
        MutualTls certs = new MutualTls(tlsDir);
        certs.client("billing", "/CN=billing", "0x01", "DNS:billing.test,URI:spiffe://example.org/billing");
        certs.client("shop", "/CN=shop", "0x02", "URI:spiffe://example.org/shop");
        ConfigDir config = new ConfigDir(tlsDir);
        config.example("require-client-uri.js");
        config.write("portico.yaml", """
                listen: [%s]
                upstreams: {app: {balancer: sequential, endpoints: ['%s']}}
                routes:
                  - upstream: app
                    filters:
                      - js: {script: filters/require-client-uri.js, config: {allow: [spiffe://example.org/billing]}}
                """.formatted(MutualTls.listener("client-auth: request, client-ca: ca.pem"), origin.address()));
        try (TestPortico tls = TestPortico.start(tlsDir.resolve("portico.yaml"))) {
            MutualTls.Curl billing = certs.curl(tls.port(), "/invoices", "--cert", "billing.pem", "--key", "billing-key.pem",
                    "-w", " %{http_code}");
            MutualTls.Curl shop = certs.curl(tls.port(), "/invoices", "--cert", "shop.pem", "--key", "shop-key.pem",
                    "-w", " %{http_code}");
            MutualTls.Curl anonymous = certs.curl(tls.port(), "/invoices", "-w", " %{http_code}");

            assertThat(billing.output()).isEqualTo("variant=null 200");
            assertThat(origin.takeRequest().uri()).isEqualTo("/invoices");
            assertThat(shop.output()).isEqualTo("this service needs an allowed client certificate\n 403");
            assertThat(anonymous.output()).isEqualTo("this service needs an allowed client certificate\n 403");
            assertThat(origin.pendingRequests()).isZero();
        }
    }
}
