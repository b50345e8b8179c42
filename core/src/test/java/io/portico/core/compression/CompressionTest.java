package io.portico.core.compression;

import static org.assertj.core.api.Assertions.assertThat;

import com.aayushatharva.brotli4j.decoder.BrotliInputStream;
import com.sun.net.httpserver.HttpExchange;
import io.portico.core.test.RawClient;
import io.portico.core.test.TestOrigin;
import io.portico.core.test.TestPortico;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompressionTest {

    private static final String JSON = "{\"items\": [" + "{\"name\": \"portico\", \"kind\": \"proxy\"},".repeat(200) + "{}]}";

    private static TestOrigin origin;
    private static TestPortico portico;

    @BeforeAll
    static void start() {
        origin = TestOrigin.start((exchange, request) -> {
            switch (request.uri()) {
                case "/json" -> send(exchange, 200, "application/json; charset=utf-8", JSON, false);
                case "/etag" -> {
                    exchange.getResponseHeaders().set("ETag", "\"v1\"");
                    exchange.getResponseHeaders().set("Vary", "Origin");
                    send(exchange, 200, "text/html", JSON, false);
                }
                case "/streamed" -> send(exchange, 200, "text/plain", JSON, true);
                case "/small" -> send(exchange, 200, "text/plain", "tiny", false);
                case "/png" -> send(exchange, 200, "image/png", JSON, false);
                case "/encoded" -> {
                    exchange.getResponseHeaders().set("Content-Encoding", "br");
                    send(exchange, 200, "text/plain", JSON, false);
                }
                case "/range" -> {
                    exchange.getResponseHeaders().set("Content-Range", "bytes 0-" + (JSON.length() - 1) + "/99999");
                    send(exchange, 206, "text/plain", JSON, false);
                }
                case "/no-transform" -> {
                    exchange.getResponseHeaders().set("Cache-Control", "no-transform");
                    send(exchange, 200, "text/plain", JSON, false);
                }
                default -> send(exchange, 200, "text/plain", JSON, false);
            }
        });
        portico = TestPortico.start("""
                upstreams: {app: {balancer: sequential, endpoints: ['%s']}}
                routes:
                  - {match: {path: /plain}, upstream: app}
                  - {upstream: app, compression: {min-size: 1KB}}
                """.formatted(origin.address()));
    }

    @AfterAll
    static void stop() {
        portico.close();
        origin.close();
    }

    private static void send(HttpExchange exchange, int status, String type, String body, boolean chunked) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, chunked ? 0 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (chunked) {
                // Two writes: the body reaches Portico in pieces.
                out.write(bytes, 0, 100);
                out.flush();
                out.write(bytes, 100, bytes.length - 100);
            } else {
                out.write(bytes);
            }
        }
    }

    private static RawClient.Response get(RawClient client, String path, String acceptEncoding) throws IOException {
        return client.send("GET " + path + " HTTP/1.1\r\nHost: test\r\n"
                + (acceptEncoding == null ? "" : "Accept-Encoding: " + acceptEncoding + "\r\n") + "\r\n").read();
    }

    private static String unbrotli(byte[] body) throws IOException {
        try (BrotliInputStream in = new BrotliInputStream(new ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String gunzip(byte[] body) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void compressesWhatTheClientAcceptsAndKeepsTheConnection() throws IOException {
        try (RawClient client = new RawClient(portico.port())) {
            for (String path : new String[] {"/json", "/streamed"}) {
                RawClient.Response response = get(client, path, "br;q=0.5, gzip;q=0.8");
                assertThat(response.header("content-encoding")).isEqualTo("gzip");
                assertThat(response.header("vary")).isEqualTo("accept-encoding");
                assertThat(response.header("content-length")).isNull();
                assertThat(response.body().length).isLessThan(JSON.length() / 4);
                assertThat(gunzip(response.body())).isEqualTo(JSON);
            }
            assertThat(get(client, "/json", "*").header("content-encoding")).as("Brotli on a tie").isEqualTo("br");
        }
    }

    @Test
    void prefersBrotliWhenTheClientWantsItAsMuch() throws IOException {
        try (RawClient client = new RawClient(portico.port())) {
            for (String path : new String[] {"/json", "/streamed"}) {
                RawClient.Response response = get(client, path, "gzip, deflate, br");
                assertThat(response.header("content-encoding")).isEqualTo("br");
                assertThat(response.header("vary")).isEqualTo("accept-encoding");
                assertThat(response.body().length).isLessThan(JSON.length() / 4);
                assertThat(unbrotli(response.body())).isEqualTo(JSON);
            }
            assertThat(get(client, "/json", "br;q=0.5, gzip").header("content-encoding")).isEqualTo("gzip");
        }
    }

    @Test
    void sendsIdentityWhenTheClientDoesNotAcceptGzip() throws IOException {
        try (RawClient client = new RawClient(portico.port())) {
            for (String acceptEncoding : new String[] {null, "gzip;q=0", "identity", "compress", "*;q=0"}) {
                RawClient.Response response = get(client, "/json", acceptEncoding);
                assertThat(response.header("content-encoding")).as(acceptEncoding).isNull();
                assertThat(response.header("vary")).as("caches must know it depends on Accept-Encoding").isEqualTo("accept-encoding");
                assertThat(response.text()).isEqualTo(JSON);
            }
        }
    }

    @Test
    void leavesAloneWhatMustNotOrNeedNotBeCompressed() throws IOException {
        try (RawClient client = new RawClient(portico.port())) {
            for (String path : new String[] {"/small", "/png", "/range", "/no-transform", "/plain"}) {
                RawClient.Response response = get(client, path, "gzip");
                assertThat(response.header("content-encoding")).as(path).isNull();
                assertThat(response.header("content-length")).as(path).isNotNull();
            }
            RawClient.Response encoded = get(client, "/encoded", "gzip, br");
            assertThat(encoded.header("content-encoding")).isEqualTo("br");
            assertThat(encoded.text()).isEqualTo(JSON);
        }
    }

    @Test
    void weakensTheEtagAndAddsToVary() throws IOException {
        try (RawClient client = new RawClient(portico.port())) {
            RawClient.Response response = get(client, "/etag", "gzip");
            assertThat(response.header("etag")).isEqualTo("W/\"v1\"");
            assertThat(response.header("vary")).isEqualTo("Origin, accept-encoding");
            assertThat(gunzip(response.body())).isEqualTo(JSON);
        }
    }

    @Test
    void curlDecompresses(@TempDir Path dir) throws Exception {
        Process curl = new ProcessBuilder("curl", "-sS", "--compressed", "-D", dir.resolve("head").toString(),
                "-o", dir.resolve("body").toString(), "-w", "%{size_download}", "http://127.0.0.1:" + portico.port() + "/json")
                .redirectErrorStream(true).start();
        String downloaded = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor()).isZero();
        // curl asks for every coding it was built with (gzip, and br when it has Brotli)
        assertThat(Files.readString(dir.resolve("head")).toLowerCase()).containsPattern("content-encoding: (gzip|br)\r\n");
        assertThat(Files.readString(dir.resolve("body"))).isEqualTo(JSON);
        assertThat(Long.parseLong(downloaded.trim())).isLessThan(JSON.length() / 4);
    }
}
