package io.portico.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.portico.core.test.TestOrigin;
import io.portico.core.test.TestPortico;
import io.portico.core.upstream.Upstream;
import io.portico.core.upstream.UpstreamEndpoint;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Passive health through the proxy: endpoints answering 5xx are ejected, for longer each time, and come back. */
class OutlierEjectionTest {

    private static final long MS = 1_000_000L;

    private static TestOrigin origin(String name, AtomicInteger status) {
        return TestOrigin.start((exchange, request) -> TestOrigin.respond(exchange, status.get(), name));
    }

    private static Upstream upstream(TestPortico portico) {
        return portico.portico().runtime().upstreams().get("app");
    }

    /**
     * Sends requests until {@code endpoint}'s ejection count reaches {@code n}; returns the bounds
     * (before, after) of the request during which it was ejected.
     */
    private static long[] sendUntilEjection(TestPortico portico, UpstreamEndpoint endpoint, int n) {
        long[] window = new long[2];
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            window[0] = System.nanoTime();
            portico.get("/");
            window[1] = System.nanoTime();
            return endpoint.ejections() == n;
        });
        return window;
    }

    @Test
    void consecutive5xxEjectTheEndpointForLongerEachTimeUntilItRecovers() {
        AtomicInteger aStatus = new AtomicInteger(503);
        try (TestOrigin a = origin("a", aStatus);
             TestOrigin b = origin("b", new AtomicInteger(200));
             TestPortico portico = TestPortico.start("""
                     upstreams:
                       app:
                         balancer: sequential
                         endpoints: [%s, %s]
                         retries: {attempts: 0}
                         outlier-detection: {consecutive-failures: 3, base-ejection: 200ms, max-ejection: 1s}
                     routes: [{upstream: app}]
                     """.formatted(a.address(), b.address()))) {
            UpstreamEndpoint endpointA = upstream(portico).endpoints().getFirst();

            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                statuses.add(portico.get("/").statusCode());
            }
            assertThat(statuses).containsExactly(503, 200, 503, 200, 503, 200);
            assertThat(endpointA.ejections()).isEqualTo(1);
            assertThat(endpointA.ejectReason()).isEqualTo("3 failed requests in a row, the last: HTTP 503");
            assertThat(a.pendingRequests()).isEqualTo(3);

            // once back it fails again: the second ejection lasts twice as long, the third three times
            long[] second = sendUntilEjection(portico, endpointA, 2);
            assertThat(endpointA.ejectedUntilNanos()).isBetween(second[0] + 400 * MS, second[1] + 400 * MS);
            long[] third = sendUntilEjection(portico, endpointA, 3);
            assertThat(endpointA.ejectedUntilNanos()).isBetween(third[0] + 600 * MS, third[1] + 600 * MS);

            // it recovers: after the ejection it takes requests again, and a success ends the run of failures
            aStatus.set(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> portico.get("/").body().equals("a"));
            assertThat(endpointA.consecutiveFailures()).isZero();
            assertThat(upstream(portico).offered()).hasSize(2);
        }
    }

    @Test
    void noTrafficReachesAnEjectedEndpoint() {
        try (TestOrigin a = origin("a", new AtomicInteger(500));
             TestOrigin b = origin("b", new AtomicInteger(200));
             TestPortico portico = TestPortico.start("""
                     upstreams:
                       app:
                         balancer: sequential
                         endpoints: [%s, %s]
                         retries: {attempts: 0}
                         outlier-detection: {consecutive-failures: 2, base-ejection: 1h}
                     routes: [{upstream: app}]
                     """.formatted(a.address(), b.address()))) {
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                bodies.add(portico.get("/").body());
            }
            assertThat(bodies).containsExactly("a", "b", "a", "b", "b", "b", "b", "b", "b", "b");
        }
    }

    @Test
    void maxEjectedPercentKeepsFailingEndpointsInRotation() {
        try (TestOrigin a = origin("a", new AtomicInteger(502));
             TestOrigin b = origin("b", new AtomicInteger(502));
             TestOrigin c = origin("c", new AtomicInteger(502));
             TestPortico portico = TestPortico.start("""
                     upstreams:
                       app:
                         balancer: sequential
                         endpoints: [%s, %s, %s]
                         retries: {attempts: 0}
                         outlier-detection: {consecutive-failures: 1, base-ejection: 1h, max-ejected-percent: 50}
                     routes: [{upstream: app}]
                     """.formatted(a.address(), b.address(), c.address()))) {
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                responses.add(portico.get("/"));
            }
            assertThat(upstream(portico).endpoints()).filteredOn(e -> e.ejections() > 0).hasSize(1);
            assertThat(upstream(portico).offered()).hasSize(2);
            // the last requests still reach the two failing endpoints left, rather than no endpoint at all
            assertThat(responses.subList(6, 12).stream().map(HttpResponse::body).distinct()).hasSize(2);
            assertThat(responses).extracting(HttpResponse::statusCode).containsOnly(502);
        }
    }
}
