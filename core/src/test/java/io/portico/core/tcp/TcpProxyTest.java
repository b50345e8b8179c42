package io.portico.core.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.portico.core.accesslog.AccessLog;
import io.portico.core.test.TestPortico;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Listeners in {@code mode: tcp}: raw bytes relayed to the endpoints of an upstream. */
class TcpProxyTest {

    private EchoOrigin first;
    private EchoOrigin second;
    private TestPortico portico;

    @AfterEach
    void stop() throws IOException {
        if (portico != null) {
            portico.close();
        }
        for (EchoOrigin origin : new EchoOrigin[] {first, second}) {
            if (origin != null) {
                origin.close();
            }
        }
    }

    @Test
    void relaysALargePayloadBothWaysIntact() throws Exception {
        first = EchoOrigin.start();
        portico = tcpPortico("5m", first.address());
        byte[] payload = new byte[8 * 1024 * 1024];
        new Random(42).nextBytes(payload);

        try (Socket socket = connect()) {
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try {
                    socket.getOutputStream().write(payload);
                    socket.shutdownOutput();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            byte[] echoed = socket.getInputStream().readAllBytes();
            writing.get(30, TimeUnit.SECONDS);

            assertSameBytes(echoed, payload);
        }
    }

    @Test
    void balancesConnectionsAcrossEndpoints() throws Exception {
        first = EchoOrigin.start();
        second = EchoOrigin.start();
        portico = tcpPortico("5m", first.address() + ", " + second.address());

        for (int i = 0; i < 4; i++) {
            try (Socket socket = connect()) {
                assertThat(roundTrip(socket, "ping " + i)).isEqualTo("ping " + i);
            }
        }

        assertThat(first.accepted()).isEqualTo(2);
        assertThat(second.accepted()).isEqualTo(2);
    }

    @Test
    void triesAnotherEndpointWhenOneRefusesTheConnection() throws Exception {
        first = EchoOrigin.start();
        portico = tcpPortico("5m", deadAddress() + ", " + first.address());

        for (int i = 0; i < 3; i++) {
            try (Socket socket = connect()) {
                assertThat(roundTrip(socket, "hello")).isEqualTo("hello");
            }
        }

        assertThat(first.accepted()).isEqualTo(3);
    }

    @Test
    void writesAnAccessLogLinePerConnectionWithBytesUpstreamAndStatus() throws Exception {
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        Logger logger = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER_NAME);
        lines.start();
        logger.addAppender(lines);
        try {
            first = EchoOrigin.start();
            portico = tcpPortico("5m", first.address());
            try (Socket socket = connect()) {
                assertThat(roundTrip(socket, "hello, origin")).isEqualTo("hello, origin");
            }
            String relayed = "\"TCP 127.0.0.1:" + portico.port() + "\" 200 in=13 out=13 upstream=" + first.address() + " ";
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(lines.list).map(ILoggingEvent::getFormattedMessage).singleElement().asString()
                            .matches("^\\S+Z 127\\.0\\.0\\.1:\\d+ .*\\d+\\.\\d{3}ms$")
                            .contains(relayed));
            portico.close();

            lines.list.clear();
            String dead = deadAddress();
            portico = tcpPortico("5m", dead);
            try (Socket socket = connect()) {
                assertThat(socket.getInputStream().read()).isEqualTo(-1);
            }
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(lines.list).map(ILoggingEvent::getFormattedMessage).singleElement().asString()
                            .contains("\" 502 in=0 out=0 upstream=" + dead + " "));
        } finally {
            logger.detachAppender(lines);
        }
    }

    @Test
    void closesTheClientWhenNoEndpointAccepts() throws Exception {
        portico = tcpPortico("5m", deadAddress() + ", " + deadAddress());

        try (Socket socket = connect()) {
            assertThat(socket.getInputStream().read()).as("connection closed by Portico").isEqualTo(-1);
        }
    }

    @Test
    void closesAConnectionIdleInBothDirections() throws Exception {
        first = EchoOrigin.start();
        portico = tcpPortico("300ms", first.address());

        try (Socket socket = connect()) {
            assertThat(roundTrip(socket, "still here")).isEqualTo("still here");
            long silentSince = System.nanoTime();

            assertThat(socket.getInputStream().read()).as("connection closed by Portico").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - silentSince)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
            await().atMost(Duration.ofSeconds(5)).until(() -> first.open() == 0);
        }
    }

    @Test
    void aClientThatShutsItsOutputStillReceivesTheAnswer() throws Exception {
        first = EchoOrigin.afterEof();
        portico = tcpPortico("5m", first.address());
        byte[] payload = "x".repeat(100_000).getBytes(StandardCharsets.US_ASCII);

        try (Socket socket = connect()) {
            socket.getOutputStream().write(payload);
            socket.shutdownOutput();

            assertSameBytes(socket.getInputStream().readAllBytes(), payload);
        }
    }

    @Test
    void shutdownStopsAcceptingAndClosesOpenConnectionsAtTheDeadline() throws Exception {
        first = EchoOrigin.start();
        portico = tcpPortico("5m", first.address());
        int port = portico.port();

        try (Socket socket = connect()) {
            assertThat(roundTrip(socket, "before")).isEqualTo("before");
            CompletableFuture<Boolean> stopped =
                    CompletableFuture.supplyAsync(() -> portico.portico().shutdown(Duration.ofSeconds(2)));

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                            .isInstanceOf(ConnectException.class));
            assertThat(roundTrip(socket, "during")).as("open connection served until the deadline").isEqualTo("during");
            assertThat(stopped).isNotDone();

            assertThat(stopped.get(10, TimeUnit.SECONDS)).as("a connection was still open at the deadline").isFalse();
            portico = null;
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    private static void assertSameBytes(byte[] actual, byte[] expected) {
        assertThat(actual.length).as("bytes received").isEqualTo(expected.length);
        assertThat(Arrays.mismatch(actual, expected)).as("index of the first wrong byte").isEqualTo(-1);
    }

    private static TestPortico tcpPortico(String idleTimeout, String endpoints) {
        return TestPortico.start("""
                listen: [{address: '127.0.0.1:0', mode: tcp, upstream: echo, idle-timeout: %s}]
                upstreams: {echo: {balancer: sequential, connect-timeout: 2s, endpoints: [%s]}}
                """.formatted(idleTimeout, endpoints));
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), portico.port());
        socket.setSoTimeout(20_000);
        return socket;
    }

    private static String roundTrip(Socket socket, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(bytes);
        out.flush();
        InputStream in = socket.getInputStream();
        return new String(in.readNBytes(bytes.length), StandardCharsets.UTF_8);
    }

    /** An address where nothing listens: a free port, bound then released. */
    private static String deadAddress() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "127.0.0.1:" + probe.getLocalPort();
        }
    }
}
