package io.portico.core.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.core.test.RawClient;
import io.portico.core.test.TestOrigin;
import io.portico.core.test.TestPortico;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Requests through Portico to real origins: routing, balancing, forwarding headers, keep-alive. */
class ProxyBasicsTest {

    private TestOrigin one;
    private TestOrigin two;
    private TestPortico portico;

    @BeforeEach
    void start() {
        one = TestOrigin.start(TestOrigin.text("one"));
        two = TestOrigin.start(TestOrigin.text("two"));
        portico = TestPortico.start("""
                upstreams:
                  both: {balancer: sequential, endpoints: [%s, %s]}
                  echo-one: {balancer: sequential, endpoints: [%s]}
                routes:
                  - name: api
                    match: {host: api.example.com, path: /v1/}
                    rewrite: {strip-prefix: /v1}
                    upstream: echo-one
                  - name: endpoint-host
                    match: {path: {exact: /endpoint-host}}
                    host-header: endpoint
                    upstream: echo-one
                  - name: literal-host
                    match: {path: {exact: /literal-host}}
                    host-header: internal.example
                    upstream: echo-one
                  - name: root
                    match: {path: /}
                    upstream: both
                """.formatted(one.address(), two.address(), one.address()));
    }

    @AfterEach
    void stop() {
        portico.close();
        one.close();
        two.close();
    }

    @Test
    void alternatesBetweenEndpoints() {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            var response = portico.get("/hello");
            assertThat(response.statusCode()).isEqualTo(200);
            bodies.add(response.body());
        }
        assertThat(bodies).containsExactly("one", "two", "one", "two", "one", "two");
    }

    @Test
    void routesByHostAndPathAndRewritesThePath() throws Exception {
        try (RawClient client = new RawClient(portico.port())) {
            client.send("GET /v1/items?id=7 HTTP/1.1\r\nHost: api.example.com\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(200);
        }
        assertThat(one.takeRequest().uri()).isEqualTo("/items?id=7");
    }

    @Test
    void answers404WhenNoRouteMatches() throws Exception {
        try (TestPortico narrow = TestPortico.start("""
                upstreams: {app: {balancer: sequential, endpoints: [%s]}}
                routes: [{match: {path: {exact: /only}}, upstream: app}]
                """.formatted(one.address()))) {
            var response = narrow.get("/other");
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.body()).contains("no route");
        }
    }

    @Test
    void addsForwardingHeadersAndRemovesHopByHopOnes() throws Exception {
        try (RawClient client = new RawClient(portico.port())) {
            client.send("""
                    GET /v1/x HTTP/1.1\r
                    Host: api.example.com\r
                    X-Forwarded-For: 203.0.113.9\r
                    Connection: keep-alive, X-Secret-Hop\r
                    X-Secret-Hop: drop me\r
                    Keep-Alive: timeout=5\r
                    TE: deflate, trailers\r
                    Proxy-Authorization: Basic Zm9vOmJhcg==\r
                    X-Kept: yes\r
                    \r
                    """);
            RawClient.Response response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("via")).isEqualTo("1.1 portico");
        }
        TestOrigin.Received received = one.takeRequest();
        assertThat(received.header("x-forwarded-for")).isEqualTo("203.0.113.9, 127.0.0.1");
        assertThat(received.header("x-forwarded-proto")).isEqualTo("http");
        assertThat(received.header("x-forwarded-host")).isEqualTo("api.example.com");
        assertThat(received.header("forwarded")).isEqualTo("for=127.0.0.1;proto=http;host=\"api.example.com\"");
        assertThat(received.header("via")).isEqualTo("1.1 portico");
        assertThat(received.header("host")).isEqualTo("api.example.com");
        assertThat(received.header("x-kept")).isEqualTo("yes");
        assertThat(received.headers()).doesNotContainKeys("x-secret-hop", "keep-alive", "proxy-authorization");
        // TE is hop-by-hop; only "trailers" goes on (gRPC servers ask for it).
        assertThat(received.header("te")).isEqualTo("trailers");
    }

    @Test
    void rewritesHostPerRoute() {
        assertThat(portico.get("/endpoint-host").statusCode()).isEqualTo(200);
        assertThat(one.takeRequest().header("host")).isEqualTo(one.address());
        assertThat(portico.get("/literal-host").statusCode()).isEqualTo(200);
        assertThat(one.takeRequest().header("host")).isEqualTo("internal.example");
    }

    @Test
    void reusesUpstreamConnectionsAcrossRequests() throws Exception {
        try (RawClient client = new RawClient(portico.port())) {
            for (int i = 0; i < 5; i++) {
                client.send("GET /endpoint-host HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(client.read().status()).isEqualTo(200);
            }
        }
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ports.add(one.takeRequest().remotePort());
        }
        assertThat(ports).as("upstream connection ports").containsOnly(ports.getFirst());
    }

    @Test
    void answersPipelinedRequestsInOrder() throws Exception {
        try (RawClient client = new RawClient(portico.port())) {
            client.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "HEAD /b HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /c HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Response first = client.read();
            RawClient.Response second = client.read(true);
            RawClient.Response third = client.read();
            assertThat(first.text()).isEqualTo("one");
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.body()).isEmpty();
            assertThat(third.text()).isEqualTo("one");
        }
    }

    @Test
    void closesAfterResponseWhenClientAsksOrSpeaksHttp10() throws Exception {
        try (RawClient client = new RawClient(portico.port())) {
            client.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            RawClient.Response response = client.read();
            assertThat(response.header("connection")).isEqualTo("close");
            assertThat(client.closedByPeer()).isTrue();
        }
        try (RawClient client = new RawClient(portico.port())) {
            client.send("GET / HTTP/1.0\r\n\r\n");
            RawClient.Response response = client.read();
            assertThat(response.statusLine()).startsWith("HTTP/1.0 200");
            assertThat(client.closedByPeer()).isTrue();
        }
    }

    @Test
    void streamsRequestBodiesBothFramings() {
        try (TestOrigin echo = TestOrigin.start(TestOrigin.echo());
             TestPortico proxy = TestPortico.start("""
                     upstreams: {app: {balancer: sequential, endpoints: [%s]}}
                     routes: [{upstream: app}]
                     """.formatted(echo.address()))) {
            String big = "x".repeat(3 * 1024 * 1024);
            var fixed = proxy.send(HttpRequest.newBuilder(proxy.uri("/upload"))
                    .POST(HttpRequest.BodyPublishers.ofString(big)).timeout(Duration.ofSeconds(30)).build());
            assertThat(fixed.body()).isEqualTo("POST /upload\n" + big);
            var chunked = proxy.send(HttpRequest.newBuilder(proxy.uri("/chunked"))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.getBytes())))
                    .timeout(Duration.ofSeconds(30)).build());
            assertThat(chunked.body()).isEqualTo("POST /chunked\n" + big);
        }
    }
}
