package io.portico.core.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.portico.core.test.RawClient;
import io.portico.core.test.ScriptedOrigin;
import io.portico.core.test.TestPortico;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The clocks on both sides: idle clients and upstreams, stalled bodies, slow request heads. */
class TimeoutsTest {

    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    private static TestPortico proxyTo(ScriptedOrigin origin, String server, String upstream) {
        return TestPortico.start("""
                server: {%s}
                upstreams: {app: {balancer: sequential, endpoints: [%s], %s}}
                routes: [{upstream: app}]
                """.formatted(server, origin.address(), upstream));
    }

    @Test
    void idleKeepAliveClientIsClosed() throws Exception {
        try (ScriptedOrigin origin = ScriptedOrigin.start(ScriptedOrigin.answering(OK));
             TestPortico portico = proxyTo(origin, "idle-timeout: 300ms", "idle-timeout: 60s");
             RawClient client = new RawClient(portico.port())) {
            assertThat(client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
            long idleSince = System.nanoTime();
            client.timeout(3000);
            assertThat(client.closedByPeer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - idleSince)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        }
    }

    @Test
    void idlePooledUpstreamConnectionIsClosed() throws Exception {
        try (ScriptedOrigin origin = ScriptedOrigin.start(ScriptedOrigin.answering(OK));
             TestPortico portico = proxyTo(origin, "", "idle-timeout: 400ms");
             RawClient client = new RawClient(portico.port())) {
            assertThat(client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
            ScriptedOrigin.Connection pooled = origin.connections().getFirst();
            await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> !pooled.sawEof());
            await().atMost(Duration.ofSeconds(3)).until(pooled::sawEof);
        }
    }

    @Test
    void upstreamStallingMidBodyClosesTheClientConnection() throws Exception {
        try (ScriptedOrigin origin = ScriptedOrigin.start(conn -> {
                conn.readHead();
                conn.send("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789");
                conn.awaitEof();
            });
             TestPortico portico = proxyTo(origin, "", "idle-timeout: 300ms");
             RawClient client = new RawClient(portico.port())) {
            client.timeout(3000);
            RawClient.Response response = client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo("0123456789");
            assertThat(client.closedByPeer()).isTrue();
            await().atMost(Duration.ofSeconds(3)).until(() -> origin.connections().getFirst().sawEof());
        }
    }

    @Test
    void slowlorisGets408AndIsClosed() throws Exception {
        try (ScriptedOrigin origin = ScriptedOrigin.start(ScriptedOrigin.answering(OK));
             TestPortico portico = proxyTo(origin, "header-timeout: 1s, idle-timeout: 10s", "idle-timeout: 60s");
             RawClient client = new RawClient(portico.port())) {
            byte[] head = "GET / HTTP/1.1\r\nHost: x\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1);
            long start = System.nanoTime();
            Thread dripper = Thread.ofVirtual().start(() -> {
                try {
                    for (byte b : head) {
                        client.send(new byte[] {b});
                        Thread.sleep(200);
                    }
                } catch (IOException | InterruptedException stopped) {
                    // closed by Portico, or the test is done
                }
            });
            try {
                client.timeout(5000);
                RawClient.Response response = client.read();
                assertThat(response.status()).isEqualTo(408);
                assertThat(response.text()).contains("request head not received in time");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(3));
                assertThat(client.closedByPeer()).isTrue();
            } finally {
                dripper.interrupt();
            }
            assertThat(origin.connections()).isEmpty();
        }
    }

    @Test
    void stalledRequestBodyGets408() throws Exception {
        try (ScriptedOrigin origin = ScriptedOrigin.start(conn -> {
                conn.readHead();
                conn.awaitEof();
            });
             TestPortico portico = proxyTo(origin, "idle-timeout: 300ms", "idle-timeout: 60s");
             RawClient client = new RawClient(portico.port())) {
            client.timeout(3000);
            RawClient.Response response = client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc").read();
            assertThat(response.status()).isEqualTo(408);
            assertThat(response.text()).contains("request body stalled");
            assertThat(client.closedByPeer()).isTrue();
            await().atMost(Duration.ofSeconds(3)).until(() -> origin.connections().getFirst().sawEof());
        }
    }
}
