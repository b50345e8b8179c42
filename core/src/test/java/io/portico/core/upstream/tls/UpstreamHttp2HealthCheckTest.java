package io.portico.core.upstream.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.portico.core.test.TestPortico;
import io.portico.core.upstream.UpstreamEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Active health checks of an {@code h2} upstream: HTTP/2 probes that take an endpoint out and put it back. */
class UpstreamHttp2HealthCheckTest {

    private static List<String> bodies(TestPortico portico, int requests) {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            bodies.add(portico.get("/r" + i).body());
        }
        return bodies;
    }

    @Test
    void probesAreHttp2RequestsWhoseStatusTakesTheEndpointOutAndBack() {
        AtomicInteger healthOfA = new AtomicInteger(200);
        try (FrameOrigin a = new FrameOrigin("a"); FrameOrigin b = new FrameOrigin("b")) {
            a.status = request -> request.path().equals("/health") ? healthOfA.get() : 200;
            try (TestPortico portico = TestPortico.start("""
                    upstreams:
                      app:
                        balancer: sequential
                        endpoints: [%s, %s]
                        protocol: h2
                        health-check: {path: /health, interval: 100ms, jitter: 0s, unhealthy-threshold: 2, healthy-threshold: 2}
                    routes: [{upstream: app}]
                    """.formatted(a.address(), b.address()))) {
                UpstreamEndpoint endpointA = portico.upstream("app").endpoints().getFirst();
                await().atMost(Duration.ofSeconds(10)).until(() -> endpointA.checkReason().equals("HTTP 200 from /health"));
                // The origin speaks nothing but HTTP/2 (with prior knowledge): the probe reached it as one.
                assertThat(a.answered).filteredOn(request -> request.path().equals("/health")).first()
                        .satisfies(probe -> {
                            assertThat(probe.method()).isEqualTo("GET");
                            assertThat(probe.userAgent()).isEqualTo("portico-health-check");
                        });

                healthOfA.set(503);
                await().atMost(Duration.ofSeconds(10)).until(() -> !endpointA.checkedHealthy());
                assertThat(endpointA.checkReason()).isEqualTo("HTTP 503 from /health");
                assertThat(bodies(portico, 4)).allSatisfy(body -> assertThat(body).startsWith("b GET"));

                healthOfA.set(200);
                await().atMost(Duration.ofSeconds(10)).until(endpointA::checkedHealthy);
                assertThat(bodies(portico, 4)).anySatisfy(body -> assertThat(body).startsWith("a GET"));
            }
        }
    }

    @Test
    void aProbeConnectionClosesOnceTheVerdictIsIn() {
        try (FrameOrigin origin = new FrameOrigin("a")) {
            // A health page whose body never ends: the status decides, and nothing waits for the rest.
            origin.endless = request -> request.path().equals("/health");
            try (TestPortico portico = TestPortico.start("""
                    upstreams:
                      app:
                        balancer: sequential
                        endpoints: [%s]
                        protocol: h2
                        health-check: {path: /health, interval: 50ms, jitter: 0s}
                    routes: [{upstream: app}]
                    """.formatted(origin.address()))) {
                await().atMost(Duration.ofSeconds(10)).until(() -> origin.answered.size() >= 10);

                assertThat(portico.upstream("app").endpoints().getFirst().checkReason()).isEqualTo("HTTP 200 from /health");
                assertThat(origin.openConnections.get()).isLessThanOrEqualTo(2);
            }
        }
    }
}
