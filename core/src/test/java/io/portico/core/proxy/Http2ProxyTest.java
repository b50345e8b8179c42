package io.portico.core.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.portico.core.test.TestOrigin;
import io.portico.core.test.TestPortico;
import io.portico.core.tls.TestCerts;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HTTP/2 clients, over TLS (ALPN) and in clear text with prior knowledge, driven by curl, the
 * JDK's HTTP client and a raw Netty HTTP/2 client, against a real origin speaking HTTP/1.1.
 */
class Http2ProxyTest {

    private static final int BIG = 8 * 1024 * 1024;

    private final CountDownLatch together = new CountDownLatch(20);
    private final CountDownLatch slowArrived = new CountDownLatch(1);
    private final CountDownLatch releaseSlow = new CountDownLatch(1);
    private TestOrigin origin;

    @TempDir
    Path dir;

    @BeforeEach
    void startOrigin() {
        origin = TestOrigin.start((exchange, request) -> {
            switch (request.uri()) {
                case "/big" -> {
                    exchange.sendResponseHeaders(200, BIG);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(pattern(BIG));
                    }
                }
                case "/upload" -> TestOrigin.respond(exchange, 200, request.body().length + " " + sha256(request.body()));
                case "/hop" -> {
                    exchange.getResponseHeaders().add("Connection", "x-private");
                    exchange.getResponseHeaders().add("X-Private", "for the next hop only");
                    exchange.getResponseHeaders().add("Keep-Alive", "timeout=5");
                    exchange.sendResponseHeaders(200, 0); // chunked
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write("streamed".getBytes());
                    }
                }
                case "/together" -> {
                    together.countDown();
                    awaitLatch(together);
                    TestOrigin.respond(exchange, 200, "together");
                }
                case "/slow" -> {
                    slowArrived.countDown();
                    awaitLatch(releaseSlow);
                    TestOrigin.respond(exchange, 200, "finished slowly");
                }
                default -> TestOrigin.respond(exchange, 200, "hello " + request.method() + " " + request.uri());
            }
        });
    }

    @AfterEach
    void stopOrigin() {
        releaseSlow.countDown();
        origin.close();
    }

    private TestPortico start(String listener, String http2) throws Exception {
        return startWith(listener, "http2: {" + http2 + "}");
    }

    private TestPortico startWith(String listener, String server) throws Exception {
        Path file = dir.resolve("portico.yaml");
        Files.writeString(file, """
                listen: [%s]
                server: {%s}
                upstreams: {app: {balancer: sequential, endpoints: ['%s']}}
                routes: [{upstream: app}]
                """.formatted(listener, server, origin.address()));
        return TestPortico.start(file);
    }

    private TestPortico startTls(String provider, String http2) throws Exception {
        TestCerts.create(dir, "local", "localhost", "DNS:localhost,IP:127.0.0.1", TestCerts.KeyFormat.SEC1_EC);
        return start("{address: '127.0.0.1:0', tls: {provider: " + provider + ", certs: [{cert: local.pem, key: local-key.pem}]}}",
                http2);
    }

    private String curl(String... args) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20"));
        command.addAll(List.of(args));
        return TestCerts.run(dir, command.toArray(String[]::new));
    }

    @ParameterizedTest
    @ValueSource(strings = {"openssl", "jdk"})
    void curlSpeaksHttp2OverTlsAndTheOriginSeesAPlainHttp11Request(String provider) throws Exception {
        try (TestPortico portico = startTls(provider, "")) {
            String authority = "localhost:" + portico.port();
            String out = curl("--http2", "--cacert", "local.pem", "--resolve", authority + ":127.0.0.1",
                    "-H", "X-Http2-Scheme: spoofed", "-w", " %{http_version} %{response_code}", "https://" + authority + "/a?b=1");

            assertThat(out).isEqualTo("hello GET /a?b=1 2 200");
            TestOrigin.Received received = origin.takeRequest();
            assertThat(received.header("host")).isEqualTo(authority);
            assertThat(received.headers().keySet()).noneMatch(name -> name.startsWith("x-http2"));
            assertThat(received.header("x-forwarded-proto")).isEqualTo("https");
            assertThat(received.header("x-forwarded-for")).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void alpnFallsBackToHttp11ForClientsWithoutH2AndWhenHttp2IsOff() throws Exception {
        try (TestPortico portico = startTls("auto", "")) {
            assertThat(alpn(portico.port(), "h2", "http/1.1")).isEqualTo("h2");
            assertThat(alpn(portico.port(), "http/1.1")).isEqualTo("http/1.1");
            assertThat(curl("--http1.1", "-k", "-w", " %{http_version}", "https://127.0.0.1:" + portico.port() + "/"))
                    .isEqualTo("hello GET / 1.1");
        }
        try (TestPortico portico = startTls("auto", "enabled: false")) {
            assertThat(alpn(portico.port(), "h2", "http/1.1")).isEqualTo("http/1.1");
            assertThat(curl("--http2", "-k", "-w", " %{http_version}", "https://127.0.0.1:" + portico.port() + "/"))
                    .isEqualTo("hello GET / 1.1");
        }
    }

    @Test
    void plainListenersTakeHttp2WithPriorKnowledgeBesideHttp11() throws Exception {
        try (TestPortico portico = start("{address: '127.0.0.1:0'}", "")) {
            String url = "http://127.0.0.1:" + portico.port() + "/p";
            assertThat(curl("--http2-prior-knowledge", "-w", " %{http_version}", url)).isEqualTo("hello GET /p 2");
            TestOrigin.Received received = origin.takeRequest();
            assertThat(received.header("host")).isEqualTo("127.0.0.1:" + portico.port());
            assertThat(received.headers().keySet()).noneMatch(name -> name.startsWith("x-http2"));
            assertThat(received.header("x-forwarded-proto")).isEqualTo("http");

            assertThat(curl("--http1.1", "-w", " %{http_version}", url)).isEqualTo("hello GET /p 1.1");
            assertThat(curl("--http1.1", "-X", "PUT", "-d", "x", "-w", " %{http_version}", url)).isEqualTo("hello PUT /p 1.1");
            assertThat(curl("--http1.0", "-w", " %{http_version}", url)).isEqualTo("hello GET /p 1");
        }
        try (TestPortico portico = start("{address: '127.0.0.1:0'}", "cleartext: false")) {
            String url = "http://127.0.0.1:" + portico.port() + "/p";
            assertThat(curl("--http1.1", "-w", " %{http_version}", url)).isEqualTo("hello GET /p 1.1");
            try (H2Client client = H2Client.connect(portico.port())) {
                await().atMost(Duration.ofSeconds(5)).until(client::closed);
            }
        }
    }

    @Test
    void bodiesStreamBothWaysThroughSmallFlowControlWindows() throws Exception {
        byte[] upload = pattern(1024 * 1024 + 17);
        Files.write(dir.resolve("upload.bin"), upload);
        try (TestPortico portico = start("{address: '127.0.0.1:0'}",
                "initial-window-size: 16KB, connection-window-size: 64KB")) {
            String base = "http://127.0.0.1:" + portico.port();

            String answer = curl("--http2-prior-knowledge", "--data-binary", "@upload.bin", "-w", " %{http_version}", base + "/upload");
            assertThat(answer).isEqualTo(upload.length + " " + sha256(upload) + " 2");

            curl("--http2-prior-knowledge", "-o", "big.bin", base + "/big");
            byte[] big = Files.readAllBytes(dir.resolve("big.bin"));
            assertThat(big.length).isEqualTo(BIG);
            assertThat(sha256(big)).isEqualTo(sha256(pattern(BIG)));
        }
    }

    @Test
    void hopByHopHeadersOfTheOriginDoNotReachHttp2Clients() throws Exception {
        try (TestPortico portico = start("{address: '127.0.0.1:0'}", "")) {
            String out = curl("--http2-prior-knowledge", "-D", "-", "http://127.0.0.1:" + portico.port() + "/hop");

            assertThat(out).startsWith("HTTP/2 200").endsWith("streamed");
            assertThat(out.toLowerCase()).doesNotContain("connection:", "keep-alive", "transfer-encoding", "x-private")
                    .contains("via: 1.1 portico");
        }
    }

    @Test
    void aHeaderBlockLargerThanMaxHeaderSizeIsRefusedWith431() throws Exception {
        try (TestPortico portico = start("{address: '127.0.0.1:0'}", "")) {
            String url = "http://127.0.0.1:" + portico.port() + "/h";
            String big = "x".repeat(20 * 1024);

            assertThat(curl("--http2-prior-knowledge", "-o", "/dev/null", "-w", "%{response_code}", "-H", "X-Big: " + big, url))
                    .isEqualTo("431");
            assertThat(curl("--http2-prior-knowledge", "-H", "X-Small: " + "x".repeat(1024), url)).isEqualTo("hello GET /h");
        }
    }

    @Test
    void manyRequestsShareOneConnectionConcurrently() throws Exception {
        try (TestPortico portico = startTls("auto", "")) {
            HttpClient client = HttpClient.newBuilder().sslContext(TestCerts.trusting(dir.resolve("local.pem")))
                    .version(HttpClient.Version.HTTP_2).build();
            URI uri = URI.create("https://127.0.0.1:" + portico.port() + "/together");
            // One request first: the client then multiplexes the others on its connection.
            assertThat(client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + portico.port() + "/")).build(),
                    HttpResponse.BodyHandlers.ofString()).version()).isEqualTo(HttpClient.Version.HTTP_2);

            List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                responses.add(client.sendAsync(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()));
            }
            // The origin answers none until all 20 are in: they were in flight together.
            for (CompletableFuture<HttpResponse<String>> response : responses) {
                HttpResponse<String> done = response.get(20, TimeUnit.SECONDS);
                assertThat(done.version()).isEqualTo(HttpClient.Version.HTTP_2);
                assertThat(done.body()).isEqualTo("together");
            }
            client.close();
        }
    }

    @Test
    void aClientResettingStreamsInALoopIsCutOffWhileOthersAreServed() throws Exception {
        try (TestPortico portico = start("{address: '127.0.0.1:0'}", "max-resets: 50, reset-window: 10s");
             H2Client attacker = H2Client.connect(portico.port());
             H2Client neighbour = H2Client.connect(portico.port())) {
            // Exactly one reset too many, then silence: the server's close then cannot race further frames.
            assertThat(attacker.openAndReset(51)).isEqualTo(51);

            assertThat(attacker.goAway().get(10, TimeUnit.SECONDS)).as("GOAWAY error code").isEqualTo(11L); // ENHANCE_YOUR_CALM
            await().atMost(Duration.ofSeconds(5)).until(attacker::closed);

            assertThat(neighbour.openAndReset(50)).as("as many resets as allowed").isEqualTo(50);
            assertThat(neighbour.get("/still-here").get(10, TimeUnit.SECONDS)).isEqualTo("200 hello GET /still-here");
            assertThat(neighbour.closed()).isFalse();
            assertThat(curl("--http2-prior-knowledge", "http://127.0.0.1:" + portico.port() + "/new")).isEqualTo("hello GET /new");
        }
    }

    @Test
    void drainingSendsGoAwayAndLetsStreamsInFlightFinish() throws Exception {
        TestPortico portico = start("{address: '127.0.0.1:0'}", "");
        CompletableFuture<Boolean> stopped = null;
        try (H2Client client = H2Client.connect(portico.port())) {
            CompletableFuture<String> slow = client.get("/slow");
            assertThat(slowArrived.await(10, TimeUnit.SECONDS)).isTrue();

            stopped = CompletableFuture.supplyAsync(() -> portico.portico().shutdown(Duration.ofSeconds(15)));

            assertThat(client.goAway().get(10, TimeUnit.SECONDS)).as("GOAWAY error code").isEqualTo(0L);
            assertThat(client.closed()).isFalse();
            releaseSlow.countDown();
            assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo("200 finished slowly");
            assertThat(stopped.get(10, TimeUnit.SECONDS)).as("every request finished in time").isTrue();
            await().atMost(Duration.ofSeconds(5)).until(client::closed);
        } finally {
            if (stopped == null) {
                portico.close();
            }
        }
    }

    @Test
    void anIdleHttp2ConnectionIsClosedWithGoAway() throws Exception {
        try (TestPortico portico = startWith("{address: '127.0.0.1:0'}", "idle-timeout: 300ms"); H2Client client = H2Client.connect(portico.port())) {
            assertThat(client.get("/").get(10, TimeUnit.SECONDS)).isEqualTo("200 hello GET /");

            assertThat(client.goAway().get(10, TimeUnit.SECONDS)).isEqualTo(0L);
            await().atMost(Duration.ofSeconds(5)).until(client::closed);
        }
    }

    @Test
    void aStreamWhoseBodyStallsGets408WhileTheConnectionCarriesOn() throws Exception {
        try (TestPortico portico = startWith("{address: '127.0.0.1:0'}", "idle-timeout: 500ms"); H2Client client = H2Client.connect(portico.port())) {
            CompletableFuture<String> stalled = client.postStalled("/upload", "the first bytes of a body that never ends");

            assertThat(stalled.get(10, TimeUnit.SECONDS)).startsWith("408 ");
            assertThat(client.get("/after").get(10, TimeUnit.SECONDS)).isEqualTo("200 hello GET /after");
            assertThat(client.closed()).isFalse();
        }
    }

    private String alpn(int port, String... protocols) throws Exception {
        try (SSLSocket socket = (SSLSocket) TestCerts.trusting(dir.resolve("local.pem")).getSocketFactory()
                .createSocket("127.0.0.1", port)) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setApplicationProtocols(protocols);
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return socket.getApplicationProtocol();
        }
    }

    private static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i % 251);
        }
        return bytes;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
