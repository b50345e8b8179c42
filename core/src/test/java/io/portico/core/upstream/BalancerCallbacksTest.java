package io.portico.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.portico.core.test.TestOrigin;
import io.portico.core.test.TestPortico;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The balancer hears every request start and end, and a balancer whose callbacks throw breaks
 * neither the requests nor Portico's own counts.
 */
class BalancerCallbacksTest {

    @Test
    void aBalancerThrowingFromItsCallbacksLeavesRequestsAndCountsIntact() {
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        Logger logger = (Logger) LoggerFactory.getLogger(Upstream.class);
        lines.start();
        logger.addAppender(lines);
        try (TestOrigin origin = TestOrigin.start(TestOrigin.text("fine"));
             TestPortico portico = TestPortico.start("""
                     upstreams: {app: {balancer: test-throwing-callbacks, endpoints: [%s]}}
                     routes: [{upstream: app}]
                     """.formatted(origin.address()))) {
            for (int i = 0; i < 3; i++) {
                assertThat(portico.get("/").body()).isEqualTo("fine");
            }

            Upstream upstream = portico.upstream("app");
            var balancer = (ThrowingCallbacksBalancerFactory.Throwing) upstream.balancer();
            UpstreamEndpoint endpoint = upstream.endpoints().getFirst();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(endpoint.activeRequests()).isZero();
                assertThat(balancer.ends()).isEqualTo(3);
            });
            assertThat(balancer.starts()).isEqualTo(3);
            // One warning names the upstream; the failures after it are not repeated at warn.
            assertThat(lines.list).filteredOn(line -> line.getLevel() == Level.WARN)
                    .singleElement()
                    .satisfies(line -> assertThat(line.getFormattedMessage())
                            .contains("balancer of upstream 'app' failed in onRequestStarted"));
        } finally {
            logger.detachAppender(lines);
        }
    }
}
