package io.portico.core.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.core.test.RawClient;
import io.portico.core.test.ScriptedOrigin;
import io.portico.core.test.TestOrigin;
import io.portico.core.test.TestPortico;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Filters that ask for whole bodies get them, may replace them, and the rest of the proxy frames
 * the replaced bodies correctly; bodies over the filters' limit are refused.
 */
class BodyAccessTest {

    private TestOrigin echo;
    private TestPortico portico;

    @BeforeEach
    void start() {
        echo = TestOrigin.start(TestOrigin.echo());
        portico = TestPortico.start("""
                upstreams: {app: {balancer: sequential, endpoints: [%s]}}
                routes:
                  - match: {path: /both}
                    filters: [{test-body: {request: 1KB, response: 1KB}}]
                    upstream: app
                  - match: {path: /request}
                    filters: [{test-body: {request: 1KB}}]
                    upstream: app
                """.formatted(echo.address()));
    }

    @AfterEach
    void stop() {
        portico.close();
        echo.close();
    }

    @Test
    void aFilterReplacesBothBodiesAndTheLengthsFollow() throws Exception {
        try (RawClient client = new RawClient(portico.port())) {
            client.send("POST /both HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
            RawClient.Response response = client.read();
            String echoed = "POST /both\nHELLO";
            String expected = echoed + " [seen " + echoed.length() + " bytes]";
            assertThat(response.text()).isEqualTo(expected);
            assertThat(response.header("content-length")).isEqualTo(String.valueOf(expected.length()));
            assertThat(response.header("transfer-encoding")).isNull();
        }
        TestOrigin.Received received = echo.takeRequest();
        assertThat(received.text()).isEqualTo("HELLO");
        assertThat(received.header("content-length")).isEqualTo("5");
    }

    @Test
    void aChunkedRequestBodyIsHeldAndSentWithALength() throws Exception {
        try (RawClient client = new RawClient(portico.port())) {
            client.send("POST /request HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n");
            assertThat(client.read().text()).isEqualTo("POST /request\nABCDEFG");
        }
        TestOrigin.Received received = echo.takeRequest();
        assertThat(received.header("content-length")).isEqualTo("7");
        assertThat(received.header("transfer-encoding")).isNull();
    }

    @Test
    void aRequestBodyOverTheFiltersLimitGets413AndNeverReachesTheOrigin() throws Exception {
        try (RawClient client = new RawClient(portico.port())) {
            client.send("POST /request HTTP/1.1\r\nHost: x\r\nContent-Length: 2000\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(413);
        }
        try (RawClient client = new RawClient(portico.port())) {
            client.send("POST /request HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "400\r\n" + "a".repeat(1024) + "\r\n1\r\nb\r\n0\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(413);
        }
        assertThat(echo.pendingRequests()).isZero();
    }

    @Test
    void aResponseBodyOverTheFiltersLimitGets502() throws Exception {
        try (RawClient client = new RawClient(portico.port())) {
            client.send("POST /both HTTP/1.1\r\nHost: x\r\nContent-Length: 1020\r\n\r\n" + "x".repeat(1020));
            // The echo adds the request line, so its body is over the 1KB the filter reads.
            RawClient.Response response = client.read();
            assertThat(response.status()).isEqualTo(502);
            assertThat(response.text()).contains("larger than 1024 bytes");
        }
    }

    @Test
    void expectContinueIsAnsweredBeforeAHeldBodyIsRead() throws Exception {
        try (RawClient client = new RawClient(portico.port())) {
            client.send("POST /request HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(100);
            client.send("abc");
            assertThat(client.read().text()).isEqualTo("POST /request\nABC");
        }
    }

    @Test
    void aHeldRequestBodyIsSentAgainWhenAPooledConnectionTurnsOutDead() throws Exception {
        // The origin answers one request per connection and hangs up on the next one unanswered.
        try (ScriptedOrigin origin = ScriptedOrigin.start(connection -> {
                 String head = connection.readHead();
                 connection.readBytes(ScriptedOrigin.contentLength(head));
                 connection.send("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                 connection.readHead();
             });
             TestPortico proxy = TestPortico.start("""
                     upstreams: {app: {balancer: sequential, endpoints: [%s]}}
                     routes: [{filters: [{test-body: {request: 1KB}}], upstream: app}]
                     """.formatted(origin.address()));
             RawClient client = new RawClient(proxy.port())) {
            client.send("PUT /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\none");
            assertThat(client.read().status()).isEqualTo(200);
            client.send("PUT /b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\ntwo");
            assertThat(client.read().status()).isEqualTo(200);
        }
    }
}
