package io.portico.core.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.core.test.RawClient;
import io.portico.core.test.TestOrigin;
import io.portico.core.test.TestPortico;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code Expect: 100-continue}: Portico answers it itself, once it is ready to forward the body. */
class ExpectContinueTest {

    private TestOrigin origin;
    private TestPortico portico;

    @BeforeEach
    void start() {
        origin = TestOrigin.start((exchange, request) -> TestOrigin.respond(exchange, 200, "got " + request.body().length + " bytes"));
        portico = TestPortico.start("""
                upstreams: {app: {balancer: sequential, endpoints: [%s]}}
                routes:
                  - {match: {path: /small}, upstream: app, max-body-size: 1KB}
                  - {upstream: app}
                """.formatted(origin.address()));
    }

    @AfterEach
    void stop() {
        portico.close();
        origin.close();
    }

    @Test
    void curlUploadsThroughIt(@TempDir Path dir) throws Exception {
        byte[] content = new byte[200_000];
        new Random(7).nextBytes(content);
        Path file = Files.write(dir.resolve("upload.bin"), content);
        Process curl = new ProcessBuilder("curl", "-sS", "-H", "Expect: 100-continue", "--data-binary", "@" + file,
                "http://127.0.0.1:" + portico.port() + "/upload")
                .redirectErrorStream(true)
                .start();
        assertThat(curl.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.exitValue()).as(output).isZero();
        assertThat(output).isEqualTo("got 200000 bytes");
        TestOrigin.Received received = origin.takeRequest();
        assertThat(received.body()).isEqualTo(content);
        assertThat(received.header("expect")).isNull();
    }

    @Test
    void sends100ContinueBeforeReadingTheBody() throws Exception {
        try (RawClient client = new RawClient(portico.port())) {
            client.timeout(3000);
            RawClient.Response interim = client.send(
                    "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n").read();
            assertThat(interim.statusLine()).isEqualTo("HTTP/1.1 100 Continue");
            RawClient.Response response = client.send("hello").read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo("got 5 bytes");
        }
        assertThat(origin.takeRequest().text()).isEqualTo("hello");
    }

    @Test
    void bodyOverTheLimitGets413Instead() throws Exception {
        try (RawClient client = new RawClient(portico.port())) {
            client.timeout(3000);
            RawClient.Response response = client.send(
                    "POST /small HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(413);
            assertThat(client.closedByPeer()).isTrue();
        }
        assertThat(origin.pendingRequests()).isZero();
    }

    @Test
    void otherExpectationsGet417() throws Exception {
        try (RawClient client = new RawClient(portico.port())) {
            client.timeout(3000);
            RawClient.Response response = client.send(
                    "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 200-ok\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(417);
            assertThat(response.text()).contains("only 'Expect: 100-continue' is supported");
            assertThat(client.closedByPeer()).as("the unread body leaves the connection unusable").isTrue();
        }
        assertThat(origin.pendingRequests()).isZero();
    }
}
