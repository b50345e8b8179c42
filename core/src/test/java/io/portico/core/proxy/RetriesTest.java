package io.portico.core.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.portico.core.accesslog.AccessLog;
import io.portico.core.test.RawClient;
import io.portico.core.test.ScriptedOrigin;
import io.portico.core.test.SequentialBalancerFactory;
import io.portico.core.test.TestOrigin;
import io.portico.core.test.TestPortico;
import io.portico.core.upstream.Upstream;
import io.portico.core.upstream.UpstreamEndpoint;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/** A failed attempt goes to another endpoint when that is safe, within the attempts and the retry budget. */
class RetriesTest {

    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    private static TestPortico proxyTo(String upstreamSettings, String... endpoints) {
        return TestPortico.start("""
                upstreams: {app: {balancer: sequential, endpoints: [%s]%s}}
                routes: [{upstream: app}]
                """.formatted(String.join(", ", endpoints), upstreamSettings.isEmpty() ? "" : ", " + upstreamSettings));
    }

    /** Counts the calls of {@link #refusing()}, which hands out ports 1 to 5 in turn. */
    private static final AtomicInteger REFUSING_PORTS = new AtomicInteger();

    /**
     * An address nothing listens on, different on each call: connecting is refused. A low
     * privileged port (1, 2, 3, ...), so that no origin of a test, bound to an ephemeral port, can
     * ever take it.
     */
    private static String refusing() {
        return "127.0.0.1:" + (REFUSING_PORTS.getAndIncrement() % 5 + 1);
    }

    /** Every result the upstream's balancer heard, as {@code "<endpoint> <outcome> [status]"}. */
    private static List<String> results(TestPortico portico) {
        return ((SequentialBalancerFactory.Sequential) portico.upstream("app").balancer()).results();
    }

    private static RawClient.Response send(TestPortico portico, String request) throws IOException {
        try (RawClient client = new RawClient(portico.port())) {
            return client.send(request).read();
        }
    }

    @Test
    void connectFailureIsRetriedElsewhereEvenForAPostWithABody() throws Exception {
        Logger accessLogger = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER_NAME);
        ListAppender<ILoggingEvent> accessLog = new ListAppender<>();
        accessLog.start();
        accessLogger.addAppender(accessLog);
        String down = refusing();
        try (TestOrigin live = TestOrigin.start(TestOrigin.echo());
             TestPortico portico = proxyTo("", down, live.address())) {
            RawClient.Response response = send(portico, "POST /orders HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo("POST /orders\nhello");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(results(portico))
                    .as("the balancer hears every attempt")
                    .containsExactly(down + " CONNECT_FAILED", live.address() + " RESPONDED 200"));
            await().atMost(Duration.ofSeconds(5)).until(() -> !accessLog.list.isEmpty());
            assertThat(accessLog.list.getFirst().getFormattedMessage())
                    .as("the access log names the endpoint that answered")
                    .contains(" 200 ").contains("upstream=" + live.address() + " ");
        } finally {
            accessLogger.detachAppender(accessLog);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "DELETE", "OPTIONS"})
    void connectionBrokenBeforeAnyResponseIsRetriedElsewhereForIdempotentRequests(String method) throws Exception {
        try (ScriptedOrigin hangsUp = ScriptedOrigin.start(ScriptedOrigin.Connection::readHead);
             ScriptedOrigin live = ScriptedOrigin.start(ScriptedOrigin.answering(OK));
             TestPortico portico = proxyTo("", hangsUp.address(), live.address())) {
            RawClient.Response response = send(portico, method + " /item HTTP/1.1\r\nHost: x\r\n\r\n");

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.text()).isEqualTo("ok");
            assertThat(hangsUp.connections()).hasSize(1);
            assertThat(hangsUp.connections().getFirst().received()).startsWith(method + " /item ");
            assertThat(live.connections().getFirst().received()).startsWith(method + " /item ");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(results(portico))
                    .containsExactly(hangsUp.address() + " RESET", live.address() + " RESPONDED 200"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "POST /item HTTP/1.1\r\nHost: x\r\n\r\n",
        "PUT /item HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"})
    void connectionBrokenBeforeAnyResponseIsNotRetriedForAPostOrARequestWithABody(String request) throws Exception {
        try (ScriptedOrigin hangsUp = ScriptedOrigin.start(conn -> {
                conn.readBytes(ScriptedOrigin.contentLength(conn.readHead()));
            });
             ScriptedOrigin live = ScriptedOrigin.start(ScriptedOrigin.answering(OK));
             TestPortico portico = proxyTo("", hangsUp.address(), live.address())) {
            RawClient.Response response = send(portico, request);

            assertThat(response.status()).isEqualTo(502);
            assertThat(response.text()).contains("upstream " + hangsUp.address() + " closed the connection before responding");
            assertThat(live.connections()).as("the request may have had effects: it is not sent again").isEmpty();
        }
    }

    @Test
    void statusesListedInOnStatusAreRetriedForIdempotentRequestsAndTheResponseDropped() throws Exception {
        try (ScriptedOrigin busy = ScriptedOrigin.start(ScriptedOrigin.answering(
                    "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy"));
             ScriptedOrigin live = ScriptedOrigin.start(ScriptedOrigin.answering(OK));
             TestPortico portico = proxyTo("retries: {on-status: [502, 503]}", busy.address(), live.address());
             RawClient client = new RawClient(portico.port())) {
            RawClient.Response get = client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(get.status()).isEqualTo(200);
            assertThat(get.text()).isEqualTo("ok");
            await().atMost(Duration.ofSeconds(5)).until(() -> busy.connections().getFirst().sawEof());

            // The balancer's turn is on the busy endpoint again; a POST's 503 is the answer.
            RawClient.Response post = client.send("POST / HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(post.status()).isEqualTo(503);
            assertThat(post.text()).isEqualTo("busy");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(results(portico)).containsExactly(
                    busy.address() + " RESPONDED 503", live.address() + " RESPONDED 200", busy.address() + " RESPONDED 503"));
        }
    }

    @Test
    void statusesNotListedAreRelayed() throws Exception {
        try (ScriptedOrigin busy = ScriptedOrigin.start(ScriptedOrigin.answering(
                    "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy"));
             ScriptedOrigin live = ScriptedOrigin.start(ScriptedOrigin.answering(OK));
             TestPortico portico = proxyTo("", busy.address(), live.address())) {
            RawClient.Response response = send(portico, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(response.status()).isEqualTo(503);
            assertThat(response.text()).isEqualTo("busy");
            assertThat(live.connections()).isEmpty();
        }
    }

    @Test
    void attemptsBoundTheRetries() throws Exception {
        String[] down = {refusing(), refusing(), refusing()};
        try (TestOrigin live = TestOrigin.start(TestOrigin.text("live"));
             TestPortico portico = proxyTo("retries: {attempts: 2}", down[0], down[1], down[2], live.address())) {
            RawClient.Response response = send(portico, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");

            assertThat(response.status()).isEqualTo(502);
            assertThat(response.text()).contains("unreachable");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(results(portico))
                    .hasSize(3)
                    .allMatch(result -> result.endsWith(" CONNECT_FAILED"))
                    .doesNotHaveDuplicates());
            assertThat(live.pendingRequests()).isZero();
        }
    }

    @Test
    void eachRetryGoesToAnEndpointNotYetTried() throws Exception {
        String first = refusing();
        String second = refusing();
        try (TestPortico portico = proxyTo("retries: {attempts: 5}", first, second)) {
            RawClient.Response response = send(portico, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");

            assertThat(response.status()).isEqualTo(502);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(results(portico))
                    .containsExactlyInAnyOrder(first + " CONNECT_FAILED", second + " CONNECT_FAILED"));
        }
    }

    @Test
    void theBudgetAllowsItsShareOfResends() throws Exception {
        // The balancer always tries the endpoint that hangs up first, so every request needs a
        // retry; the budget allows half of the requests one (no floor). Outlier detection would
        // eject the failing endpoint and spare the budget.
        try (ScriptedOrigin hangsUp = ScriptedOrigin.start(ScriptedOrigin.Connection::readHead);
             ScriptedOrigin live = ScriptedOrigin.start(ScriptedOrigin.answering(OK));
             TestPortico portico = TestPortico.start("""
                     upstreams:
                       app:
                         balancer: {test-pick: {index: 0}}
                         endpoints: [%s, %s]
                         retries: {budget-percent: 50, min-retries-per-second: 0}
                         outlier-detection: {enabled: false}
                     routes: [{upstream: app}]
                     """.formatted(hangsUp.address(), live.address()));
             RawClient client = new RawClient(portico.port())) {
            List<Integer> statuses = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                statuses.add(client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            }
            assertThat(statuses).containsExactly(200, 502, 200, 502, 200, 502);
            assertThat(live.connections()).hasSize(1);
            assertThat(live.connections().getFirst().received().split("GET /", -1)).as("requests the live endpoint got").hasSize(4);
        }
    }

    @Test
    void connectFailuresDoNotDrawOnTheBudget() throws Exception {
        try (TestOrigin live = TestOrigin.start(TestOrigin.text("live"));
             TestPortico portico = proxyTo("retries: {budget-percent: 0, min-retries-per-second: 0}, outlier-detection: {enabled: false}",
                     refusing(), live.address());
             RawClient client = new RawClient(portico.port())) {
            for (int i = 0; i < 20; i++) {
                RawClient.Response response = client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read();
                assertThat(response.status()).as("request %d", i).isEqualTo(200);
                assertThat(response.text()).isEqualTo("live");
            }
        }
    }

    @Test
    void noEndpointAvailableGets503WithRetryAfterAtOnce() throws Exception {
        try (TestOrigin a = TestOrigin.start(TestOrigin.text("a"));
             TestOrigin b = TestOrigin.start(TestOrigin.text("b"));
             TestPortico portico = proxyTo("", a.address(), b.address())) {
            setAvailable(portico.upstream("app"), false, a.address(), b.address());

            long start = System.nanoTime();
            RawClient.Response response = send(portico, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");

            assertThat(response.status()).isEqualTo(503);
            assertThat(response.header("retry-after")).isEqualTo("1");
            assertThat(response.text()).contains("no endpoint available");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
            assertThat(a.pendingRequests() + b.pendingRequests()).isZero();
        }
    }

    @Test
    void theBackupPoolTakesTrafficOnlyWhileNoPrimaryIsAvailable() {
        try (TestOrigin p1 = TestOrigin.start(TestOrigin.text("p1"));
             TestOrigin p2 = TestOrigin.start(TestOrigin.text("p2"));
             TestOrigin backup = TestOrigin.start(TestOrigin.text("backup"));
             TestPortico portico = proxyTo("backup: [%s]".formatted(backup.address()), p1.address(), p2.address())) {
            Upstream upstream = portico.upstream("app");
            assertThat(bodies(portico, 4)).containsExactly("p1", "p2", "p1", "p2");

            setAvailable(upstream, false, p1.address());
            assertThat(bodies(portico, 3)).containsOnly("p2");

            setAvailable(upstream, false, p2.address());
            assertThat(bodies(portico, 3)).containsOnly("backup");

            setAvailable(upstream, true, p1.address());
            assertThat(bodies(portico, 3)).containsOnly("p1");
            assertThat(backup.pendingRequests()).isEqualTo(3);
        }
    }

    private static List<String> bodies(TestPortico portico, int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> portico.get("/").body()).toList();
    }

    /** What active health checks would do: mark endpoints up or down. */
    private static void setAvailable(Upstream upstream, boolean available, String... addresses) {
        for (UpstreamEndpoint endpoint : upstream.endpoints()) {
            if (List.of(addresses).contains(endpoint.id())) {
                endpoint.checked(available, "set by the test");
            }
        }
        upstream.healthChanged();
    }
}
