package io.portico.core.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.HttpHeaders;
import io.portico.core.test.RawClient;
import io.portico.core.tls.TestCerts;
import io.portico.core.test.TestPortico;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebSocketProxyTest {

    private final WebSocketOrigin origin = new WebSocketOrigin();
    private TestPortico portico;

    @AfterEach
    void stop() {
        if (portico != null) {
            portico.close();
        }
        origin.close();
    }

    private void startPortico(String idleTimeout) {
        portico = TestPortico.start("""
                upstreams: {ws: {balancer: sequential, idle-timeout: %s, endpoints: ['%s']}}
                routes: [{upstream: ws}]
                """.formatted(idleTimeout, origin.address()));
    }

    /** Collects what a client WebSocket receives: texts, binaries (whole), and how it ended. */
    private static final class Received implements WebSocket.Listener {
        final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<String> ended = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();
        private ByteBuffer binary = ByteBuffer.allocate(0);

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(text.toString());
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            ByteBuffer joined = ByteBuffer.allocate(binary.remaining() + data.remaining()).put(binary).put(data).flip();
            binary = joined;
            if (last) {
                byte[] bytes = new byte[binary.remaining()];
                binary.get(bytes);
                messages.add(bytes);
                binary = ByteBuffer.allocate(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            ended.complete("close " + status);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            ended.complete("error " + error);
        }

        Object next() throws InterruptedException {
            Object message = messages.poll(10, TimeUnit.SECONDS);
            assertThat(message).as("a message within 10 s").isNotNull();
            return message;
        }
    }

    private WebSocket connect(Received listener) throws Exception {
        return HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + portico.port() + "/ws"), listener)
                .get(10, TimeUnit.SECONDS);
    }

    @Test
    void relaysMessagesBothWaysAndTheClose() throws Exception {
        startPortico("60s");
        Received received = new Received();
        WebSocket ws = connect(received);

        assertThat(received.next()).as("sent by the origin right after its 101").isEqualTo("hello");
        ws.sendText("ping", true).get(10, TimeUnit.SECONDS);
        assertThat(received.next()).isEqualTo("echo: ping");

        byte[] big = new byte[1024 * 1024];
        new Random(7).nextBytes(big);
        ws.sendBinary(ByteBuffer.wrap(big), true).get(10, TimeUnit.SECONDS);
        assertThat((byte[]) received.next()).isEqualTo(big);

        HttpHeaders handshake = origin.handshakes.poll(1, TimeUnit.SECONDS);
        assertThat(handshake.get("x-forwarded-for")).isEqualTo("127.0.0.1");
        assertThat(handshake.get("upgrade")).isEqualToIgnoringCase("websocket");

        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
        assertThat(received.ended.get(10, TimeUnit.SECONDS)).isEqualTo("close 1000");
    }

    @Test
    void tunnelsOverTls(@TempDir Path dir) throws Exception {
        TestCerts.create(dir, "local", "localhost", "DNS:localhost,IP:127.0.0.1", TestCerts.KeyFormat.SEC1_EC);
        Path file = dir.resolve("portico.yaml");
        Files.writeString(file, """
                listen: [{address: '127.0.0.1:0', tls: {certs: [{cert: local.pem, key: local-key.pem}]}}]
                upstreams: {ws: {balancer: sequential, endpoints: ['%s']}}
                routes: [{upstream: ws}]
                """.formatted(origin.address()));
        portico = TestPortico.start(file);
        Received received = new Received();
        WebSocket ws = HttpClient.newBuilder().sslContext(TestCerts.trusting(dir.resolve("local.pem"))).build()
                .newWebSocketBuilder()
                .buildAsync(URI.create("wss://127.0.0.1:" + portico.port() + "/ws"), received)
                .get(10, TimeUnit.SECONDS);

        assertThat(received.next()).isEqualTo("hello");
        ws.sendText("secure", true).get(10, TimeUnit.SECONDS);
        assertThat(received.next()).isEqualTo("echo: secure");
        assertThat(origin.handshakes.poll(1, TimeUnit.SECONDS).get("x-forwarded-proto")).isEqualTo("https");
    }

    @Test
    void shutdownLetsOpenWebSocketsCarryOnUntilTheyCloseOrTheDeadline() throws Exception {
        startPortico("60s");
        Received received = new Received();
        WebSocket ws = connect(received);
        assertThat(received.next()).isEqualTo("hello");

        CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> portico.portico().shutdown(Duration.ofSeconds(30)));
        ws.sendText("still there?", true).get(10, TimeUnit.SECONDS);
        assertThat(received.next()).as("relayed while draining").isEqualTo("echo: still there?");
        assertThat(stopped).as("shutdown waits for the open WebSocket").isNotDone();

        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
        assertThat(received.ended.get(10, TimeUnit.SECONDS)).isEqualTo("close 1000");
        assertThat(stopped.get(10, TimeUnit.SECONDS)).as("finished before the deadline").isTrue();
        portico = null;
    }

    @Test
    void theOriginClosingEndsTheClientConnection() throws Exception {
        startPortico("60s");
        Received received = new Received();
        WebSocket ws = connect(received);
        assertThat(received.next()).isEqualTo("hello");

        ws.sendText("drop", true);
        assertThat(received.ended.get(10, TimeUnit.SECONDS)).isNotNull();
        assertThat(ws.isInputClosed()).isTrue();
    }

    @Test
    void silentTunnelsCloseAfterTheIdleTimeout() throws Exception {
        startPortico("300ms");
        Received received = new Received();
        connect(received);
        assertThat(received.next()).isEqualTo("hello");

        assertThat(received.ended.get(10, TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void aRefusedUpgradeIsAnOrdinaryResponse() throws Exception {
        startPortico("60s");
        assertThatThrownBy(() -> HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + portico.port() + "/elsewhere"), new Received())
                .get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(WebSocketHandshakeException.class);

        // The connection that carried the refused upgrade still serves requests.
        try (RawClient client = new RawClient(portico.port())) {
            RawClient.Response refused = client.send("GET /elsewhere HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").read();
            assertThat(refused.status()).isEqualTo(404);
            assertThat(client.send("GET /elsewhere HTTP/1.1\r\nHost: t\r\n\r\n").read().status()).isEqualTo(404);
        }
    }
}
