package io.portico.core.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portico.core.test.RawClient;
import io.portico.core.test.TestOrigin;
import io.portico.core.test.TestPortico;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The admin listener's {@code GET /status}, read as JSON, and its isolation from the proxy's routes. */
class AdminStatusTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static HttpResponse<String> admin(TestPortico portico, String method, String path) {
        URI uri = URI.create("http://127.0.0.1:" + portico.portico().adminAddress().orElseThrow().getPort() + path);
        return portico.send(HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    private static JsonNode status(TestPortico portico) throws IOException {
        HttpResponse<String> response = admin(portico, "GET", "/status");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        return JSON.readTree(response.body());
    }

    private static JsonNode endpoint(JsonNode status, String upstream, int index) {
        return status.path("upstreams").path(upstream).path("endpoints").path(index);
    }

    @Test
    void reportsEveryEndpointsHealth() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        CountDownLatch release = new CountDownLatch(1);
        try (TestOrigin app = TestOrigin.start((exchange, request) -> {
                if (request.uri().equals("/slow")) {
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                TestOrigin.respond(exchange, 200, "app " + request.uri());
            });
             TestOrigin spare = TestOrigin.start(TestOrigin.text("spare"));
             TestOrigin failing = TestOrigin.start((exchange, request) -> TestOrigin.respond(exchange, 503, "down"));
             TestPortico portico = TestPortico.start("""
                     admin: {address: 127.0.0.1:0}
                     upstreams:
                       app:
                         balancer: sequential
                         endpoints: [%s, {address: 127.0.0.1:%d, weight: 2}]
                         backup: [%s]
                         health-check: {interval: 50ms, unhealthy-threshold: 1}
                         slow-start: 1h
                       flaky:
                         balancer: sequential
                         endpoints: [%s]
                         retries: {attempts: 0}
                         outlier-detection: {consecutive-failures: 1, base-ejection: 1h, max-ejection: 2h, max-ejected-percent: 100}
                     routes:
                       - {match: {path: /flaky/}, upstream: flaky}
                       - {upstream: app}
                     """.formatted(app.address(), closedPort, spare.address(), failing.address()))) {
            assertThat(portico.get("/flaky/x").statusCode()).isEqualTo(503);
            CompletableFuture<HttpResponse<String>> slow = TestPortico.client().sendAsync(
                    HttpRequest.newBuilder(portico.uri("/slow")).build(), HttpResponse.BodyHandlers.ofString());

            await().atMost(Duration.ofSeconds(10)).until(() -> {
                JsonNode s = status(portico);
                return endpoint(s, "app", 1).path("state").asText().equals("unhealthy")
                        && endpoint(s, "app", 0).path("active-requests").asInt() == 1
                        && endpoint(s, "app", 2).path("reason").asText().startsWith("HTTP");
            });
            JsonNode status = status(portico);

            JsonNode healthy = endpoint(status, "app", 0);
            assertThat(healthy.path("address").asText()).isEqualTo(app.address());
            assertThat(healthy.path("backup").asBoolean()).isFalse();
            assertThat(healthy.path("weight").asInt()).isEqualTo(1);
            assertThat(healthy.path("state").asText()).isEqualTo("healthy");
            assertThat(healthy.path("in-rotation").asBoolean()).isTrue();
            assertThat(healthy.path("reason").asText()).isEqualTo("HTTP 200 from /healthz");
            assertThat(healthy.has("ejected-until")).isFalse();
            assertThat(healthy.path("active-requests").asInt()).isEqualTo(1);
            assertThat(healthy.path("consecutive-failures").asInt()).isZero();
            assertThat(healthy.path("ejections").asInt()).isZero();
            assertThat(healthy.path("slow-start-share").asDouble()).as("ramping since startup, 1h window").isEqualTo(0.1);

            JsonNode down = endpoint(status, "app", 1);
            assertThat(down.path("address").asText()).isEqualTo("127.0.0.1:" + closedPort);
            assertThat(down.path("weight").asInt()).isEqualTo(2);
            assertThat(down.path("state").asText()).isEqualTo("unhealthy");
            assertThat(down.path("in-rotation").asBoolean()).isFalse();
            assertThat(down.path("reason").asText()).isEqualTo("connect refused");

            JsonNode backup = endpoint(status, "app", 2);
            assertThat(backup.path("address").asText()).isEqualTo(spare.address());
            assertThat(backup.path("backup").asBoolean()).isTrue();
            assertThat(backup.path("state").asText()).isEqualTo("healthy");
            assertThat(backup.path("in-rotation").asBoolean()).as("a primary endpoint is available").isFalse();

            JsonNode flaky = status.path("upstreams").path("flaky");
            assertThat(flaky.path("balancer").asText()).isEqualTo("sequential");
            JsonNode ejected = flaky.path("endpoints").path(0);
            assertThat(ejected.path("state").asText()).isEqualTo("ejected");
            assertThat(ejected.path("reason").asText()).isEqualTo("1 failed requests in a row, the last: HTTP 503");
            assertThat(ejected.path("ejections").asInt()).isEqualTo(1);
            assertThat(ejected.path("in-rotation").asBoolean()).isFalse();
            assertThat(ejected.path("slow-start-share").asDouble()).isEqualTo(1.0);
            assertThat(Instant.parse(ejected.path("ejected-until").asText()))
                    .isBetween(Instant.now().plus(Duration.ofMinutes(55)), Instant.now().plus(Duration.ofMinutes(61)));

            release.countDown();
            assertThat(slow.get(10, TimeUnit.SECONDS).body()).isEqualTo("app /slow");
        }
    }

    @Test
    void servesOnlyStatusAndNotTheProxysRoutes() throws Exception {
        try (TestOrigin origin = TestOrigin.start(TestOrigin.echo());
             TestPortico portico = TestPortico.start("""
                     admin: {address: 127.0.0.1:0}
                     upstreams: {app: {balancer: sequential, endpoints: [%s]}}
                     routes: [{upstream: app}]
                     """.formatted(origin.address()))) {
            assertThat(admin(portico, "GET", "/").statusCode()).isEqualTo(404);
            assertThat(admin(portico, "GET", "/status/extra").statusCode()).isEqualTo(404);
            assertThat(admin(portico, "GET", "/anything").body()).contains("try GET /status");
            HttpResponse<String> post = admin(portico, "POST", "/status");
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("allow")).hasValue("GET, HEAD");
            assertThat(admin(portico, "GET", "/status?pretty").statusCode()).isEqualTo(200);
            assertThat(origin.pendingRequests()).as("the admin listener never proxies").isZero();

            assertThat(portico.get("/status").body()).as("the proxy's /status is the origin's").isEqualTo("GET /status\n");

            try (RawClient client = new RawClient(portico.portico().adminAddress().orElseThrow().getPort())) {
                RawClient.Response first = client.send("GET /status HTTP/1.1\r\nHost: admin\r\n\r\n").read();
                RawClient.Response second = client.send("GET /status HTTP/1.1\r\nHost: admin\r\n\r\n").read();
                assertThat(first.status()).isEqualTo(200);
                assertThat(second.text()).as("keep-alive").isEqualTo(first.text());
            }
        }
    }

    @Test
    void isOffUnlessConfiguredAndClosesWithPortico() throws Exception {
        try (TestOrigin origin = TestOrigin.start(TestOrigin.text("x"))) {
            try (TestPortico without = TestPortico.start("""
                    upstreams: {app: {balancer: sequential, endpoints: [%s]}}
                    routes: [{upstream: app}]
                    """.formatted(origin.address()))) {
                assertThat(without.portico().adminAddress()).isEmpty();
            }
            TestPortico portico = TestPortico.start("""
                    admin: {address: 127.0.0.1:0}
                    upstreams: {app: {balancer: sequential, endpoints: [%s]}}
                    routes: [{upstream: app}]
                    """.formatted(origin.address()));
            int port = portico.portico().adminAddress().orElseThrow().getPort();
            assertThat(admin(portico, "GET", "/status").statusCode()).isEqualTo(200);
            portico.close();
            assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(java.net.ConnectException.class);
        }
    }
}
