package io.portico.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.portico.core.test.RawClient;
import io.portico.core.test.TestOrigin;
import io.portico.core.test.TestPortico;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Shutdown stops accepting at once, closes idle keep-alive connections, lets requests in flight
 * finish within the deadline, and cuts what still runs when the deadline passes.
 */
class GracefulShutdownTest {

    private final CountDownLatch slowArrived = new CountDownLatch(1);
    private final CountDownLatch releaseSlow = new CountDownLatch(1);
    private TestOrigin origin;
    private TestPortico portico;

    @BeforeEach
    void start() {
        origin = TestOrigin.start((exchange, request) -> {
            if (request.uri().equals("/slow")) {
                slowArrived.countDown();
                try {
                    releaseSlow.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            TestOrigin.respond(exchange, 200, "finished " + request.uri());
        });
        portico = TestPortico.start("""
                upstreams: {app: {balancer: sequential, endpoints: [%s]}}
                routes: [{upstream: app}]
                """.formatted(origin.address()));
    }

    @AfterEach
    void stop() {
        releaseSlow.countDown();
        origin.close();
    }

    @Test
    void finishesRequestsInFlightThenStops() throws Exception {
        int port = portico.port();
        try (RawClient busy = new RawClient(port); RawClient idle = new RawClient(port)) {
            idle.send("GET /warm HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(idle.read().status()).isEqualTo(200);
            busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(slowArrived.await(10, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<Boolean> stopped =
                    CompletableFuture.supplyAsync(() -> portico.portico().shutdown(Duration.ofSeconds(15)));

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThatThrownBy(() -> new RawClient(port).close()).isInstanceOf(ConnectException.class));
            assertThat(idle.closedByPeer()).as("idle keep-alive connection closed").isTrue();
            assertThat(stopped).isNotDone();

            releaseSlow.countDown();
            RawClient.Response response = busy.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo("finished /slow");
            assertThat(response.header("connection")).isEqualTo("close");
            assertThat(stopped.get(10, TimeUnit.SECONDS)).as("every request finished in time").isTrue();
        }
    }

    @Test
    void cutsRequestsStillRunningWhenTheDeadlinePasses() throws Exception {
        try (RawClient busy = new RawClient(portico.port())) {
            busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(slowArrived.await(10, TimeUnit.SECONDS)).isTrue();

            assertThat(portico.portico().shutdown(Duration.ofMillis(300))).isFalse();
            assertThat(busy.closedByPeer()).isTrue();
        }
    }
}
