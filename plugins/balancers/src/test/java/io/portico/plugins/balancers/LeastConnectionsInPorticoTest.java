package io.portico.plugins.balancers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.portico.api.balancer.Endpoint;
import io.portico.core.test.TestOrigin;
import io.portico.core.test.TestPortico;
import io.portico.core.upstream.Upstream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code least-connections} in a running Portico: it hears every request start and end from the
 * proxy, so an origin stuck on a slow request is left alone while it lasts, and gets its share again
 * once it is answered.
 */
class LeastConnectionsInPorticoTest {

    @Test
    @Timeout(60)
    void anOriginHoldingASlowRequestIsAvoidedUntilItEnds() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (TestOrigin slow = TestOrigin.start((exchange, request) -> {
                 try {
                     release.await(30, TimeUnit.SECONDS);
                 } catch (InterruptedException e) {
                     Thread.currentThread().interrupt();
                 }
                 TestOrigin.respond(exchange, 200, "slow");
             });
             TestOrigin one = TestOrigin.start(TestOrigin.text("one"));
             TestOrigin two = TestOrigin.start(TestOrigin.text("two"));
             TestPortico portico = TestPortico.start("""
                     upstreams: {app: {balancer: least-connections, endpoints: [%s, %s, %s]}}
                     routes: [{upstream: app}]
                     """.formatted(slow.address(), one.address(), two.address()))) {
            // Requests go out one at a time until one is stuck on the slow origin (the first of
            // three idle endpoints is drawn at random).
            CompletableFuture<HttpResponse<String>> held = null;
            for (int sent = 0; held == null; sent++) {
                assertThat(sent).as("requests sent before one reached the slow origin").isLessThan(50);
                CompletableFuture<HttpResponse<String>> response = TestPortico.client().sendAsync(
                        HttpRequest.newBuilder(portico.uri("/")).timeout(Duration.ofSeconds(40)).build(),
                        HttpResponse.BodyHandlers.ofString());
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                        .until(() -> response.isDone() || slow.pendingRequests() > 0);
                if (!response.isDone()) {
                    held = response;
                }
            }

            // While it lasts, every new request goes to the two others.
            List<String> meanwhile = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                meanwhile.add(portico.get("/").body());
            }
            assertThat(meanwhile).containsOnly("one", "two").contains("one", "two");

            // Once it is answered the balancer hears it end, and the origin is picked again.
            release.countDown();
            assertThat(held.get(20, TimeUnit.SECONDS).body()).isEqualTo("slow");
            Upstream upstream = portico.upstream("app");
            LeastConnectionsBalancer balancer = (LeastConnectionsBalancer) upstream.balancer();
            Endpoint slowEndpoint = upstream.endpoints().getFirst();
            await().atMost(Duration.ofSeconds(10)).until(() -> balancer.requestsInFlight(slowEndpoint) == 0);
            List<String> after = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                after.add(portico.get("/").body());
            }
            assertThat(after).contains("slow", "one", "two");
            assertThat(upstream.endpoints()).allSatisfy(e -> assertThat(balancer.requestsInFlight(e)).isZero());
        }
    }
}
