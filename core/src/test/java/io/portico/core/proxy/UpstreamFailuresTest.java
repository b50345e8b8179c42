package io.portico.core.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.portico.core.test.RawClient;
import io.portico.core.test.ScriptedOrigin;
import io.portico.core.test.TestPortico;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Origins that are down, slow, or hang up: what the client gets, and what Portico does upstream. */
class UpstreamFailuresTest {

    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    private static TestPortico proxyTo(String address, String upstreamSettings) {
        return TestPortico.start("""
                upstreams: {app: {balancer: sequential, endpoints: [%s]%s}}
                routes: [{upstream: app}]
                """.formatted(address, upstreamSettings.isEmpty() ? "" : ", " + upstreamSettings));
    }

    @Test
    void unreachableUpstreamGets502SayingWhy() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        try (TestPortico portico = proxyTo("127.0.0.1:" + closedPort, "");
             RawClient client = new RawClient(portico.port())) {
            RawClient.Response response = client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(502);
            assertThat(response.text()).contains("upstream 127.0.0.1:" + closedPort + " unreachable");
        }
    }

    @Test
    void slowResponseHeadGets504AndTheClientConnectionStaysUsable() throws Exception {
        try (ScriptedOrigin origin = ScriptedOrigin.start(conn -> {
                String head;
                while ((head = conn.readHead()) != null) {
                    if (head.startsWith("GET /slow")) {
                        conn.awaitEof();
                        return;
                    }
                    conn.send(OK);
                }
            });
             TestPortico portico = proxyTo(origin.address(), "response-timeout: 300ms");
             RawClient client = new RawClient(portico.port())) {
            long start = System.nanoTime();
            RawClient.Response slow = client.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(slow.status()).isEqualTo(504);
            assertThat(slow.text()).contains("sent no response within 300ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(slow.header("connection")).isNull();

            RawClient.Response next = client.send("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(next.status()).isEqualTo(200);
            assertThat(origin.connections().getFirst().sawEof()).as("the timed-out upstream connection is closed").isTrue();
        }
    }

    @Test
    void connectTimeoutGets504() throws Exception {
        try (ServerSocket neverAccepts = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> queued = fillAcceptQueue(neverAccepts);
            try (TestPortico portico = proxyTo("127.0.0.1:" + neverAccepts.getLocalPort(), "connect-timeout: 300ms");
                 RawClient client = new RawClient(portico.port())) {
                long start = System.nanoTime();
                RawClient.Response response = client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read();
                assertThat(response.status()).isEqualTo(504);
                assertThat(response.text()).contains("did not accept a connection in time");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(300), Duration.ofSeconds(3));
            } finally {
                for (Socket socket : queued) {
                    socket.close();
                }
            }
        }
    }

    /**
     * Connects plain sockets until the listener's accept queue is full: Linux then drops further
     * SYNs, so the next connect hangs until its own timeout.
     */
    private static List<Socket> fillAcceptQueue(ServerSocket server) throws IOException {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Socket socket = new Socket();
            sockets.add(socket);
            try {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 200);
            } catch (java.net.SocketTimeoutException full) {
                return sockets;
            }
        }
        throw new IllegalStateException("the accept queue never filled; this kernel accepts connections past the backlog");
    }

    @Test
    void clientLeavingMidBodyAbortsTheUpstreamRequestAndItsConnectionIsNotReused() throws Exception {
        try (ScriptedOrigin origin = ScriptedOrigin.start(conn -> {
                String head;
                while ((head = conn.readHead()) != null) {
                    if (head.startsWith("POST")) {
                        conn.awaitEof();
                        return;
                    }
                    conn.send(OK);
                }
            });
             TestPortico portico = proxyTo(origin.address(), "")) {
            try (RawClient client = new RawClient(portico.port())) {
                client.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n" + "x".repeat(1000));
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> !origin.connections().isEmpty() && origin.connections().getFirst().received().endsWith("x".repeat(1000)));
            }
            ScriptedOrigin.Connection upload = origin.connections().getFirst();
            await().atMost(Duration.ofSeconds(5)).until(upload::sawEof);

            try (RawClient client = new RawClient(portico.port())) {
                assertThat(client.send("GET /next HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
            }
            assertThat(origin.connections()).hasSize(2);
            assertThat(origin.connections().get(1).received()).startsWith("GET /next");
            assertThat(upload.received()).doesNotContain("GET /next");
        }
    }

    @Test
    void upstreamClosingMidResponseClosesTheClientConnection() throws Exception {
        try (ScriptedOrigin origin = ScriptedOrigin.start(conn -> {
                conn.readHead();
                conn.send("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n0123456789");
            });
             TestPortico portico = proxyTo(origin.address(), "");
             RawClient client = new RawClient(portico.port())) {
            client.timeout(3000);
            RawClient.Response response = client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("content-length")).isEqualTo("100000");
            assertThat(response.text()).as("the body is cut short by the end of the connection").isEqualTo("0123456789");
            assertThat(client.closedByPeer()).isTrue();
        }
    }

    @Test
    void stalePooledConnectionIsRetriedOnceForARequestWithoutBody() throws Exception {
        // Each connection answers one request, then hangs up on the next without a word: as if the
        // origin closed it (its keep-alive timeout) just as Portico took it from the pool.
        try (ScriptedOrigin origin = ScriptedOrigin.start(conn -> {
                conn.readHead();
                conn.send(OK);
                conn.readHead();
            });
             TestPortico portico = proxyTo(origin.address(), "");
             RawClient client = new RawClient(portico.port())) {
            assertThat(client.send("GET /first HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
            RawClient.Response second = client.send("GET /second HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.text()).isEqualTo("ok");
            List<ScriptedOrigin.Connection> connections = origin.connections();
            assertThat(connections).hasSize(2);
            assertThat(connections.get(0).received()).contains("GET /first").contains("GET /second");
            assertThat(connections.get(1).received()).startsWith("GET /second");
        }
    }

    @Test
    void reusedConnectionClosingIsNotRetriedForARequestWithABody() throws Exception {
        // The body was streamed to the dead connection and is gone: sending it again is not possible.
        try (ScriptedOrigin origin = ScriptedOrigin.start(conn -> {
                conn.readHead();
                conn.send(OK);
                conn.readHead();
            });
             TestPortico portico = proxyTo(origin.address(), "");
             RawClient client = new RawClient(portico.port())) {
            assertThat(client.send("GET /first HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
            RawClient.Response response = client.send("POST /second HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello").read();
            assertThat(response.status()).isEqualTo(502);
            assertThat(response.text()).contains("closed the connection before responding");
            assertThat(origin.connections()).hasSize(1);
        }
    }

    @Test
    void originClosingRightAfterItsResponseDoesNotFailTheNextRequest() throws Exception {
        try (ScriptedOrigin origin = ScriptedOrigin.start(conn -> {
                conn.readHead();
                conn.send(OK);
            });
             TestPortico portico = proxyTo(origin.address(), "");
             RawClient client = new RawClient(portico.port())) {
            for (int i = 0; i < 5; i++) {
                assertThat(client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
            }
            assertThat(origin.connections()).hasSize(5);
        }
    }

    @Test
    void upstreamClosingWithoutResponseIsNotRetriedForAFreshConnection() throws Exception {
        try (ScriptedOrigin origin = ScriptedOrigin.start(ScriptedOrigin.Connection::readHead);
             TestPortico portico = proxyTo(origin.address(), "");
             RawClient client = new RawClient(portico.port())) {
            RawClient.Response response = client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(502);
            assertThat(response.text()).contains("closed the connection before responding");
            assertThat(origin.connections()).hasSize(1);
        }
    }
}
