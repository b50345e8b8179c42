package io.portico.core.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.core.test.RawClient;
import io.portico.core.test.ScriptedOrigin;
import io.portico.core.test.TestPortico;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests Portico cannot or must not forward: each gets its status with a reason, the connection
 * is closed (its framing can no longer be trusted), and the origin sees nothing at all.
 */
class BadRequestsTest {

    private ScriptedOrigin origin;
    private TestPortico portico;

    @BeforeEach
    void start() {
        origin = ScriptedOrigin.start(ScriptedOrigin.answering("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        portico = TestPortico.start("""
                server: {max-initial-line-length: 1KB, max-header-size: 2KB}
                upstreams: {app: {balancer: sequential, endpoints: [%s]}}
                routes: [{upstream: app}]
                """.formatted(origin.address()));
    }

    @AfterEach
    void stop() {
        portico.close();
        origin.close();
    }

    /** Sends {@code request}, expects {@code status} with {@code reason} in the body, then the end of the connection. */
    private void assertRejected(String request, int status, String reason) throws Exception {
        try (RawClient client = new RawClient(portico.port())) {
            client.timeout(3000);
            RawClient.Response response = client.send(request).read();
            assertThat(response.status()).isEqualTo(status);
            assertThat(response.text()).contains(reason);
            assertThat(response.header("connection")).isEqualTo("close");
            assertThat(client.closedByPeer()).as("connection closed").isTrue();
        }
        assertThat(origin.connections()).as("connections to the origin").isEmpty();
    }

    @Test
    void requestLineTooLongGets414() throws Exception {
        assertRejected("GET /" + "a".repeat(2000) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414, "request line too long");
    }

    @Test
    void headersTooLargeGet431() throws Exception {
        assertRejected("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(3000) + "\r\n\r\n", 431, "request headers too large");
    }

    @Test
    void spaceInAHeaderNameGets400() throws Exception {
        assertRejected("GET / HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n", 400, "malformed request");
    }

    @Test
    void garbageRequestLineGets400() throws Exception {
        assertRejected("HELLO THERE\r\nHost: x\r\n\r\n", 400, "malformed request");
    }

    @Test
    void unknownProtocolVersionGets400() throws Exception {
        assertRejected("GET / HTTP/1.x\r\nHost: x\r\n\r\n", 400, "malformed request");
    }

    @Test
    void contentLengthWithTransferEncodingGets400() throws Exception {
        assertRejected("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n", 400, "both Content-Length and Transfer-Encoding");
    }

    @Test
    void contentLengthWithTransferEncodingGets400FromHttp10ClientsToo() throws Exception {
        assertRejected("POST / HTTP/1.0\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\n", 400, "Transfer-Encoding");
    }

    @Test
    void differingContentLengthsGet400() throws Exception {
        assertRejected("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 12\r\n\r\nhello", 400,
                "Content-Length");
    }

    @Test
    void differingContentLengthsFromHttp10ClientsAreForwardedAsTheOneThatFramedTheBody() throws Exception {
        // Netty reads an HTTP/1.0 body by the first length and keeps only that one: Portico and the
        // origin cannot disagree on where the request ends.
        try (RawClient client = new RawClient(portico.port())) {
            RawClient.Response response = client.send("POST / HTTP/1.0\r\nContent-Length: 5\r\nContent-Length: 12\r\n\r\nhello").read();
            assertThat(response.status()).isEqualTo(200);
        }
        String forwarded = origin.connections().getFirst().received().toLowerCase(Locale.ROOT);
        assertThat(forwarded).containsOnlyOnce("content-length").contains("content-length: 5\r\n").endsWith("\r\n\r\nhello");
    }

    @Test
    void transferEncodingNotEndingInChunkedGets400() throws Exception {
        assertRejected("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 400,
                "Transfer-Encoding");
    }

    @Test
    void missingHostGets400() throws Exception {
        assertRejected("GET / HTTP/1.1\r\n\r\n", 400, "exactly one Host header");
    }

    @Test
    void theConnectionServesOnAfterARequestThatWasMerelyRefused() throws Exception {
        try (RawClient client = new RawClient(portico.port())) {
            RawClient.Response refused = client.send("GET / HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\n\r\n").read();
            assertThat(refused.status()).isEqualTo(417);
            assertThat(client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
        }
    }
}
