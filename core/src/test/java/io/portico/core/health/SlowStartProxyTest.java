package io.portico.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.core.test.TestOrigin;
import io.portico.core.test.TestPortico;
import io.portico.core.upstream.Upstream;
import io.portico.core.upstream.UpstreamEndpoint;
import org.junit.jupiter.api.Test;

/** Slow start through the proxy: an endpoint that just came back takes a small share of the requests. */
class SlowStartProxyTest {

    @Test
    void anEndpointThatJustCameBackTakesAReducedShare() {
        try (TestOrigin a = TestOrigin.start(TestOrigin.text("a"));
             TestOrigin b = TestOrigin.start(TestOrigin.text("b"));
             TestPortico portico = TestPortico.start("""
                     upstreams:
                       app:
                         balancer: sequential
                         endpoints: [%s, %s]
                         slow-start: 1h
                     routes: [{upstream: app}]
                     """.formatted(a.address(), b.address()))) {
            Upstream upstream = portico.portico().runtime().upstreams().get("app");
            UpstreamEndpoint comeback = upstream.endpoints().get(0);
            UpstreamEndpoint settled = upstream.endpoints().get(1);
            long now = System.nanoTime();
            comeback.ejectUntil(now);                        // an ejection that ends now
            settled.ejectUntil(now - 2 * 3_600_000_000_000L); // one that ended two hours ago
            upstream.healthChanged();
            assertThat(upstream.slowStartShare(comeback, System.nanoTime())).isEqualTo(0.1);
            assertThat(upstream.slowStartShare(settled, System.nanoTime())).isEqualTo(1.0);

            int toComeback = 0;
            for (int i = 0; i < 300; i++) {
                if (portico.get("/").body().equals("a")) {
                    toComeback++;
                }
            }
            // at the 10% floor, against 50% without slow start: expected about 27 of 300
            // (the sequential balancer moves on when asked again: p / (1 + p))
            assertThat(toComeback).isBetween(5, 60);
        }
    }
}
