package io.portico.core.upstream.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.core.test.TestPortico;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP/2 to origins: over TLS with ALPN and as h2c, multiplexed, with trailers relayed. */
class UpstreamHttp2Test {

    @TempDir
    static Path dir;
    private TlsOrigin origin;

    @BeforeAll
    static void certificates() {
        TestCa.create(dir).sign("origin", "origin.test", "DNS:origin.test");
    }

    @AfterEach
    void stopOrigin() {
        origin.close();
    }

    /** Portico with one event loop, so that every request shares one pool of upstream connections. */
    private TestPortico portico(String upstream) throws Exception {
        Path file = dir.resolve("portico.yaml");
        Files.writeString(file, """
                listen: [{address: '127.0.0.1:0'}]
                server: {event-loops: 1}
                upstreams: {app: {balancer: sequential, endpoints: ['%s'], protocol: h2%s}}
                routes: [{upstream: app}]
                """.formatted(origin.address(), upstream));
        return TestPortico.start(file);
    }

    private static List<HttpResponse<String>> concurrently(TestPortico portico, int requests) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            sent.add(client.sendAsync(HttpRequest.newBuilder(portico.uri("/r" + i)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        return sent.stream().map(CompletableFuture::join).toList();
    }

    /** The raw bytes of the response to a GET of {@code path}, on a connection Portico closes after it. */
    private static String exchange(int port, String path) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: app\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void multiplexesConcurrentRequestsOverOneTlsConnection() throws Exception {
        origin = TlsOrigin.https(dir.resolve("origin.pem"), dir.resolve("origin-key.pem"), null, TlsOrigin.Protocol.H2, 100, 300);
        try (TestPortico portico = portico(", tls: {ca: ca.pem, server-name: origin.test}")) {
            List<HttpResponse<String>> responses = concurrently(portico, 50);

            for (int i = 0; i < responses.size(); i++) {
                assertThat(responses.get(i).statusCode()).isEqualTo(200);
                assertThat(responses.get(i).body()).isEqualTo("HTTP/2 /r" + i);
                assertThat(responses.get(i).headers().map().keySet()).noneMatch(name -> name.startsWith("x-http2-"));
            }
            assertThat(origin.connections).hasValue(1);
            assertThat(origin.protocols).hasSize(50).containsOnly("HTTP/2");
        }
    }

    @Test
    void speaksH2cWithPriorKnowledgeToAPlainOrigin() throws Exception {
        origin = TlsOrigin.plain(TlsOrigin.Protocol.H2C, 100, 300);
        try (TestPortico portico = portico("")) {
            List<HttpResponse<String>> responses = concurrently(portico, 50);

            assertThat(responses).allSatisfy(response -> assertThat(response.statusCode()).isEqualTo(200));
            assertThat(origin.connections).hasValue(1);
            assertThat(origin.protocols).hasSize(50).containsOnly("HTTP/2");
        }
    }

    @Test
    void opensAnotherConnectionWhenTheOriginsStreamLimitIsReached() throws Exception {
        origin = TlsOrigin.plain(TlsOrigin.Protocol.H2C, 10, 300);
        try (TestPortico portico = portico("")) {
            List<HttpResponse<String>> responses = concurrently(portico, 30);

            assertThat(responses).allSatisfy(response -> assertThat(response.statusCode()).isEqualTo(200));
            // 30 requests at once, 10 streams each: at least 3 connections, and not one per request.
            assertThat(origin.connections.get()).isBetween(3, 10);
        }
    }

    @Test
    void relaysResponseTrailersToAnHttp11Client() throws Exception {
        origin = TlsOrigin.https(dir.resolve("origin.pem"), dir.resolve("origin-key.pem"), null, TlsOrigin.Protocol.H2, 100, 0);
        try (TestPortico portico = portico(", tls: {ca: ca.pem, server-name: origin.test}")) {
            String raw = exchange(portico.port(), "/trailers");

            assertThat(raw).startsWith("HTTP/1.1 200").containsIgnoringCase("transfer-encoding: chunked")
                    .contains("HTTP/2 /trailers").containsIgnoringCase("grpc-status: 0").containsIgnoringCase("grpc-message: fine")
                    .doesNotContain("x-http2-");
        }
    }

    @Test
    void relaysResponseTrailersFromAnHttp11Origin() throws Exception {
        origin = TlsOrigin.https(dir.resolve("origin.pem"), dir.resolve("origin-key.pem"), null, TlsOrigin.Protocol.HTTP1, 100, 0);
        Path file = dir.resolve("portico.yaml");
        Files.writeString(file, """
                listen: [{address: '127.0.0.1:0'}]
                upstreams: {app: {balancer: sequential, endpoints: ['%s'], tls: {ca: ca.pem, server-name: origin.test}}}
                routes: [{upstream: app}]
                """.formatted(origin.address()));
        try (TestPortico portico = TestPortico.start(file)) {
            String raw = exchange(portico.port(), "/trailers");

            assertThat(raw).startsWith("HTTP/1.1 200").contains("HTTP/1.1 /trailers").containsIgnoringCase("grpc-status: 0");
        }
    }
}
