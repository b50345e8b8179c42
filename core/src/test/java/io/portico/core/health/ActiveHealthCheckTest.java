package io.portico.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.portico.core.test.ScriptedOrigin;
import io.portico.core.test.TestOrigin;
import io.portico.core.test.TestPortico;
import io.portico.core.upstream.Upstream;
import io.portico.core.upstream.UpstreamEndpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Active health checks against real origins, and what they do to proxied traffic. */
class ActiveHealthCheckTest {

    /**
     * An origin whose {@code /healthz} answers a scripted sequence of statuses (200 once it runs
     * out), noting the endpoint's verdict as each probe arrives (that is, after the previous
     * probes were judged), and able to hold a probe until the test releases it. Other paths
     * answer {@code name}.
     */
    private static final class ScriptedHealth implements TestOrigin.Handler {
        private final String name;
        private final List<Integer> statuses;
        private final Map<Integer, CountDownLatch> holds;
        private final AtomicReference<UpstreamEndpoint> endpoint = new AtomicReference<>();
        private final CountDownLatch ready = new CountDownLatch(1);
        final List<Boolean> healthyAtProbe = new CopyOnWriteArrayList<>();
        final Map<Integer, CountDownLatch> arrived;

        ScriptedHealth(String name, List<Integer> statuses, Map<Integer, CountDownLatch> holds) {
            this.name = name;
            this.statuses = statuses;
            this.holds = holds;
            this.arrived = Map.copyOf(holds.keySet().stream().collect(
                    java.util.stream.Collectors.toMap(k -> k, k -> new CountDownLatch(1))));
        }

        void watch(UpstreamEndpoint e) {
            endpoint.set(e);
            ready.countDown();
        }

        @Override
        public void handle(com.sun.net.httpserver.HttpExchange exchange, TestOrigin.Received request) throws IOException {
            if (!request.uri().equals("/healthz")) {
                TestOrigin.respond(exchange, 200, name);
                return;
            }
            try {
                ready.await(10, TimeUnit.SECONDS);
                int probe = healthyAtProbe.size();
                healthyAtProbe.add(endpoint.get().checkedHealthy());
                if (holds.containsKey(probe)) {
                    arrived.get(probe).countDown();
                    holds.get(probe).await(10, TimeUnit.SECONDS);
                }
                TestOrigin.respond(exchange, probe < statuses.size() ? statuses.get(probe) : 200, "");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static List<String> bodiesOf(TestPortico portico, int requests) {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            bodies.add(portico.get("/").body());
        }
        return bodies;
    }

    private static Upstream upstream(TestPortico portico) {
        return portico.portico().runtime().upstreams().get("app");
    }

    @Test
    void httpCheckTakesAnEndpointOutAfterItsThresholdOfFailuresAndBackAfterItsThresholdOfSuccesses() throws Exception {
        CountDownLatch whileOut = new CountDownLatch(1);
        CountDownLatch whileBack = new CountDownLatch(1);
        // unhealthy-threshold 3, healthy-threshold 2
        ScriptedHealth health = new ScriptedHealth("a",
                List.of(503, 503, 200, 503, 503, 503, 200, 503, 200, 200),
                Map.of(7, whileOut, 11, whileBack));
        try (TestOrigin a = TestOrigin.start(health);
             TestOrigin b = TestOrigin.start(TestOrigin.text("b"));
             TestPortico portico = TestPortico.start("""
                     upstreams:
                       app:
                         balancer: sequential
                         endpoints: [%s, %s]
                         health-check: {path: /healthz, interval: 50ms, jitter: 0, timeout: 15s,
                                        unhealthy-threshold: 3, healthy-threshold: 2}
                     routes: [{upstream: app}]
                     """.formatted(a.address(), b.address()))) {
            UpstreamEndpoint endpointA = upstream(portico).endpoints().getFirst();
            health.watch(endpointA);

            assertThat(health.arrived.get(7).await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(endpointA.checkedHealthy()).isFalse();
            assertThat(endpointA.checkReason()).isEqualTo("HTTP 200 from /healthz");
            assertThat(bodiesOf(portico, 6)).as("no traffic while it is out").containsOnly("b");
            whileOut.countDown();

            assertThat(health.arrived.get(11).await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(bodiesOf(portico, 6)).as("traffic again once it is back").containsExactly("a", "b", "a", "b", "a", "b");
            whileBack.countDown();

            // the verdict after each probe: out after the 3rd failure in a row (probe 5), back
            // after the 2nd success in a row (probe 9); a success in between starts the count over
            assertThat(health.healthyAtProbe.subList(0, 11))
                    .containsExactly(true, true, true, true, true, true, false, false, false, false, true);
        }
    }

    @Test
    void tcpCheckOnAClosedPortTakesTheEndpointOut() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        try (TestOrigin b = TestOrigin.start(TestOrigin.text("b"));
             TestPortico portico = TestPortico.start("""
                     upstreams:
                       app:
                         balancer: sequential
                         endpoints: [127.0.0.1:%d, %s]
                         health-check: {type: tcp, interval: 50ms, unhealthy-threshold: 2}
                     routes: [{upstream: app}]
                     """.formatted(closedPort, b.address()))) {
            UpstreamEndpoint closed = upstream(portico).endpoints().get(0);
            UpstreamEndpoint live = upstream(portico).endpoints().get(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> !closed.checkedHealthy());
            assertThat(closed.checkReason()).isEqualTo("connect refused");
            await().atMost(Duration.ofSeconds(10)).until(() -> live.checkReason().equals("connected"));
            assertThat(live.checkedHealthy()).isTrue();
            assertThat(bodiesOf(portico, 4)).containsOnly("b");
            assertThat(b.pendingRequests()).as("a TCP check sends no request").isEqualTo(4);
        }
    }

    @Test
    void bodyMustContainTheExpectedText() {
        try (TestOrigin ok = TestOrigin.start(TestOrigin.text("{\"status\": \"ok\"}"));
             TestOrigin degraded = TestOrigin.start(TestOrigin.text("{\"status\": \"degraded\"}"));
             TestPortico portico = TestPortico.start("""
                     upstreams:
                       app:
                         balancer: sequential
                         endpoints: [%s, %s]
                         health-check: {interval: 50ms, unhealthy-threshold: 1, expect-body: '"status": "ok"'}
                     routes: [{upstream: app}]
                     """.formatted(ok.address(), degraded.address()))) {
            UpstreamEndpoint good = upstream(portico).endpoints().get(0);
            UpstreamEndpoint bad = upstream(portico).endpoints().get(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> !bad.checkedHealthy());
            assertThat(bad.checkReason()).isEqualTo("HTTP 200 from /healthz without '\"status\": \"ok\"' in the body");
            await().atMost(Duration.ofSeconds(10)).until(() -> good.checkReason().startsWith("HTTP"));
            assertThat(good.checkReason()).isEqualTo("HTTP 200 from /healthz with '\"status\": \"ok\"' in the body");
            assertThat(good.checkedHealthy()).isTrue();
            assertThat(upstream(portico).offered()).containsExactly(good);
        }
    }

    @Test
    void probesSendTheConfiguredRequestAndTimeOut() throws Exception {
        try (ScriptedOrigin hangs = ScriptedOrigin.start(conn -> {
                if (conn.readHead() != null) {
                    conn.awaitEof();
                }
            });
             TestPortico portico = TestPortico.start("""
                     upstreams:
                       app:
                         balancer: sequential
                         endpoints: [%s]
                         health-check: {method: HEAD, path: /ready, host: health.internal, interval: 50ms,
                                        timeout: 200ms, unhealthy-threshold: 1}
                     routes: [{upstream: app}]
                     """.formatted(hangs.address()))) {
            UpstreamEndpoint endpoint = upstream(portico).endpoints().getFirst();
            await().atMost(Duration.ofSeconds(10)).until(() -> !endpoint.checkedHealthy());
            assertThat(endpoint.checkReason()).isEqualTo("timed out after 200ms");
            await().atMost(Duration.ofSeconds(10)).until(() -> hangs.connections().getFirst().sawEof());
            assertThat(hangs.connections().getFirst().received())
                    .startsWith("HEAD /ready HTTP/1.1\r\n")
                    .contains("host: health.internal\r\n")
                    .contains("connection: close\r\n")
                    .contains("user-agent: portico-health-check\r\n");
            assertThat(portico.get("/").statusCode()).as("no endpoint available").isEqualTo(503);
        }
    }

    @Test
    void backupEndpointsAreCheckedAndTakeOverWhenThePrimariesAreOut() {
        AtomicInteger primaryStatus = new AtomicInteger(200);
        try (TestOrigin primary = TestOrigin.start((exchange, request) ->
                TestOrigin.respond(exchange, request.uri().equals("/healthz") ? primaryStatus.get() : 200, "primary"));
             TestOrigin backup = TestOrigin.start(TestOrigin.text("backup"));
             TestPortico portico = TestPortico.start("""
                     upstreams:
                       app:
                         balancer: sequential
                         endpoints: [%s]
                         backup: [%s]
                         health-check: {interval: 50ms, unhealthy-threshold: 1, healthy-threshold: 1}
                     routes: [{upstream: app}]
                     """.formatted(primary.address(), backup.address()))) {
            UpstreamEndpoint backupEndpoint = upstream(portico).endpoints().get(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> backupEndpoint.checkReason().equals("HTTP 200 from /healthz"));
            assertThat(bodiesOf(portico, 3)).containsOnly("primary");

            primaryStatus.set(500);
            await().atMost(Duration.ofSeconds(10)).until(() -> portico.get("/").body().equals("backup"));
            primaryStatus.set(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> portico.get("/").body().equals("primary"));
        }
    }

    @Test
    void closingPorticoStopsTheProbes() {
        AtomicInteger probes = new AtomicInteger();
        try (TestOrigin origin = TestOrigin.start((exchange, request) -> {
            probes.incrementAndGet();
            TestOrigin.respond(exchange, 200, "");
        })) {
            TestPortico portico = TestPortico.start("""
                    upstreams: {app: {balancer: sequential, endpoints: [%s], health-check: {interval: 20ms}}}
                    routes: [{upstream: app}]
                    """.formatted(origin.address()));
            await().atMost(Duration.ofSeconds(10)).until(() -> probes.get() >= 3);
            portico.close();
            int afterClose = probes.get();
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> probes.get() <= afterClose + 1);
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("portico-io"));
        }
    }
}
