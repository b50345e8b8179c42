package io.portico.core.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.core.test.RawClient;
import io.portico.core.test.ScriptedOrigin;
import io.portico.core.test.TestPortico;
import org.junit.jupiter.api.Test;

/**
 * What the origin's response head becomes on its way to the client: connection-scoped headers
 * dropped, and the body re-framed for what the client can read.
 */
class ResponseFramingTest {

    private static TestPortico proxyTo(ScriptedOrigin origin) {
        return TestPortico.start("""
                upstreams: {app: {balancer: sequential, endpoints: [%s]}}
                routes: [{upstream: app}]
                """.formatted(origin.address()));
    }

    @Test
    void hopByHopResponseHeadersAreDropped() throws Exception {
        try (ScriptedOrigin origin = ScriptedOrigin.start(ScriptedOrigin.answering("""
                HTTP/1.1 200 OK\r
                Content-Length: 2\r
                Connection: keep-alive, X-Hop\r
                X-Hop: secret\r
                Keep-Alive: timeout=5\r
                Proxy-Authenticate: Basic\r
                X-Kept: yes\r
                \r
                ok"""));
             TestPortico portico = proxyTo(origin);
             RawClient client = new RawClient(portico.port())) {
            RawClient.Response response = client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(response.text()).isEqualTo("ok");
            assertThat(response.headers()).containsEntry("x-kept", "yes").containsEntry("via", "1.1 portico")
                    .doesNotContainKeys("x-hop", "keep-alive", "proxy-authenticate", "connection");
        }
    }

    @Test
    void chunkedResponseReachesAnHttp10ClientAsACloseDelimitedBody() throws Exception {
        try (ScriptedOrigin origin = ScriptedOrigin.start(ScriptedOrigin.answering(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"));
             TestPortico portico = proxyTo(origin);
             RawClient client = new RawClient(portico.port())) {
            client.timeout(3000);
            RawClient.Response response = client.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertThat(response.statusLine()).startsWith("HTTP/1.0 200");
            assertThat(response.headers()).doesNotContainKeys("transfer-encoding", "content-length");
            assertThat(response.header("connection")).isEqualTo("close");
            assertThat(response.text()).as("read to the end of the connection").isEqualTo("hello world");
        }
    }

    @Test
    void chunkedResponseStaysChunkedForHttp11Clients() throws Exception {
        try (ScriptedOrigin origin = ScriptedOrigin.start(ScriptedOrigin.answering(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"));
             TestPortico portico = proxyTo(origin);
             RawClient client = new RawClient(portico.port())) {
            RawClient.Response response = client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(response.header("transfer-encoding")).isEqualTo("chunked");
            assertThat(response.text()).isEqualTo("hello");
            assertThat(client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().text()).isEqualTo("hello");
        }
    }

    @Test
    void closeDelimitedResponseIsChunkedForAKeepAliveHttp11Client() throws Exception {
        // An HTTP/1.0 origin ends its body by closing; the client's connection must not end with it.
        try (ScriptedOrigin origin = ScriptedOrigin.start(conn -> {
                conn.readHead();
                conn.send("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end");
            });
             TestPortico portico = proxyTo(origin);
             RawClient client = new RawClient(portico.port())) {
            client.timeout(3000);
            RawClient.Response first = client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(first.header("transfer-encoding")).isEqualTo("chunked");
            assertThat(first.text()).isEqualTo("until the end");
            RawClient.Response second = client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(second.text()).isEqualTo("until the end");
        }
    }

    @Test
    void closeDelimitedResponseToAnHttp10ClientEndsItsConnection() throws Exception {
        try (ScriptedOrigin origin = ScriptedOrigin.start(conn -> {
                conn.readHead();
                conn.send("HTTP/1.0 200 OK\r\n\r\nuntil the end");
            });
             TestPortico portico = proxyTo(origin);
             RawClient client = new RawClient(portico.port())) {
            client.timeout(3000);
            RawClient.Response response = client.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertThat(response.header("connection")).isEqualTo("close");
            assertThat(response.text()).isEqualTo("until the end");
        }
    }

    @Test
    void responseToHeadKeepsItsFramingHeadersAndHasNoBody() throws Exception {
        try (ScriptedOrigin origin = ScriptedOrigin.start(ScriptedOrigin.answering(
                "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n"));
             TestPortico portico = proxyTo(origin);
             RawClient client = new RawClient(portico.port())) {
            RawClient.Response head = client.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n").read(true);
            assertThat(head.header("content-length")).isEqualTo("1234");
            assertThat(client.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n").read(true).status()).isEqualTo(200);
        }
    }
}
