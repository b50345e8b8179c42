package io.portico.core.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.portico.core.test.RawClient;
import io.portico.core.test.ScriptedOrigin;
import io.portico.core.test.TestPortico;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A route's {@code max-body-size}: 413 before anything is forwarded when the length is known, mid-stream when not. */
class BodyLimitsTest {

    private ScriptedOrigin origin;
    private TestPortico portico;

    @BeforeEach
    void start() {
        origin = ScriptedOrigin.start(conn -> {
            String head = conn.readHead();
            if (head != null && head.contains("chunked")) {
                conn.awaitEof();
                return;
            }
            conn.readBytes(ScriptedOrigin.contentLength(head));
            conn.send("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        });
        portico = TestPortico.start("""
                upstreams: {app: {balancer: sequential, endpoints: [%s]}}
                routes: [{upstream: app, max-body-size: 1KB}]
                """.formatted(origin.address()));
    }

    @AfterEach
    void stop() {
        portico.close();
        origin.close();
    }

    @Test
    void bodyWithinTheLimitIsForwarded() throws Exception {
        try (RawClient client = new RawClient(portico.port())) {
            RawClient.Response response = client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1024\r\n\r\n" + "a".repeat(1024)).read();
            assertThat(response.status()).isEqualTo(200);
        }
        assertThat(origin.connections()).hasSize(1);
    }

    @Test
    void announcedLengthOverTheLimitGets413BeforeTheBodyIsSent() throws Exception {
        try (RawClient client = new RawClient(portico.port())) {
            client.timeout(3000);
            RawClient.Response response = client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(413);
            assertThat(response.text()).contains("request body larger than 1024 bytes");
            assertThat(response.header("connection")).isEqualTo("close");
            assertThat(client.closedByPeer()).isTrue();
        }
        assertThat(origin.connections()).isEmpty();
    }

    @Test
    void announcedLengthOverTheLimitGets413WhenTheBodyCameAlong() throws Exception {
        try (RawClient client = new RawClient(portico.port())) {
            client.timeout(3000);
            RawClient.Response response = client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1025\r\n\r\n" + "a".repeat(1025)).read();
            assertThat(response.status()).isEqualTo(413);
            assertThat(client.closedByPeer()).isTrue();
        }
        assertThat(origin.connections()).isEmpty();
    }

    @Test
    void chunkedBodyGrowingOverTheLimitGets413AndTheUpstreamRequestIsAborted() throws Exception {
        try (RawClient client = new RawClient(portico.port())) {
            client.timeout(3000);
            client.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n320\r\n" + "a".repeat(800) + "\r\n");
            await().atMost(Duration.ofSeconds(5)).until(() -> !origin.connections().isEmpty()
                    && origin.connections().getFirst().received().contains("a".repeat(800)));
            RawClient.Response response = client.send("320\r\n" + "b".repeat(800) + "\r\n").read();
            assertThat(response.status()).isEqualTo(413);
            assertThat(response.text()).contains("request body larger than 1024 bytes");
            assertThat(client.closedByPeer()).isTrue();
        }
        ScriptedOrigin.Connection upstream = origin.connections().getFirst();
        await().atMost(Duration.ofSeconds(3)).until(upstream::sawEof);
        assertThat(upstream.received()).doesNotContain("b");
    }
}
