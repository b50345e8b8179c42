package io.portico.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.api.balancer.Endpoint;
import io.portico.api.balancer.RequestResult;
import io.portico.core.config.EndpointConfig;
import io.portico.core.config.HostPort;
import io.portico.core.config.OutlierConfig;
import io.portico.core.config.UpstreamConfig;
import io.portico.core.upstream.PassiveHealth;
import io.portico.core.upstream.Upstream;
import io.portico.core.upstream.UpstreamEndpoint;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Ejection rules of passive health, driven by results as the proxy reports them. */
class OutlierDetectorTest {

    private static final RequestResult OK = new RequestResult(RequestResult.Outcome.RESPONDED, 200, 1_000);
    private static final RequestResult NOT_FOUND = new RequestResult(RequestResult.Outcome.RESPONDED, 404, 1_000);
    private static final RequestResult UNAVAILABLE = new RequestResult(RequestResult.Outcome.RESPONDED, 503, 1_000);
    private static final RequestResult REFUSED = new RequestResult(RequestResult.Outcome.CONNECT_FAILED, 0, 1_000);
    private static final long MS = 1_000_000L;

    private static Upstream upstream(int primaries, int backups, OutlierConfig outliers) {
        List<UpstreamEndpoint> endpoints = new ArrayList<>();
        List<EndpointConfig> configs = new ArrayList<>();
        for (int i = 0; i < primaries + backups; i++) {
            HostPort address = new HostPort("127.0.0.1", 10_001 + i);
            configs.add(new EndpointConfig(address, 1));
            endpoints.add(new UpstreamEndpoint(address, 1, new InetSocketAddress("127.0.0.1", 10_001 + i), i >= primaries));
        }
        UpstreamConfig config = new UpstreamConfig(null, configs.subList(0, primaries), null, null, null, null,
                configs.subList(primaries, configs.size()), null, outliers, null, null, null, null, null);
        return new Upstream("app", endpoints, (List<Endpoint> offered, io.portico.api.balancer.SelectionContext c) -> offered.getFirst(),
                config, OutlierDetector.of(outliers));
    }

    private static OutlierConfig outliers(int failures, int percent) {
        return new OutlierConfig(true, failures, Duration.ofMillis(200), Duration.ofMillis(700), percent);
    }

    @Test
    void ejectsAfterConsecutiveFailuresOnly() {
        Upstream upstream = upstream(2, 0, outliers(3, 50));
        UpstreamEndpoint a = upstream.endpoints().getFirst();
        upstream.report(a, UNAVAILABLE);
        upstream.report(a, REFUSED);
        upstream.report(a, NOT_FOUND); // a 4xx is the client's problem: a success for the endpoint
        upstream.report(a, UNAVAILABLE);
        upstream.report(a, UNAVAILABLE);
        assertThat(a.consecutiveFailures()).isEqualTo(2);
        assertThat(upstream.offered()).contains(a);

        long before = System.nanoTime();
        upstream.report(a, UNAVAILABLE);
        long after = System.nanoTime();
        assertThat(upstream.offered()).doesNotContain(a).hasSize(1);
        assertThat(a.ejections()).isEqualTo(1);
        assertThat(a.ejectedUntilNanos()).isBetween(before + 200 * MS, after + 200 * MS);
        assertThat(a.ejectReason()).isEqualTo("3 failed requests in a row, the last: HTTP 503");
        assertThat(a.consecutiveFailures()).as("starts over after an ejection").isZero();
    }

    @Test
    void eachEjectionInARowLastsLongerUpToTheMaximum() {
        Upstream upstream = upstream(2, 0, outliers(1, 50));
        UpstreamEndpoint a = upstream.endpoints().getFirst();
        long[] expected = {200, 400, 600, 700, 700};
        for (int n = 1; n <= expected.length; n++) {
            if (n > 1) {
                a.ejectUntil(System.nanoTime() - MS); // let the previous ejection end
            }
            long before = System.nanoTime();
            upstream.report(a, REFUSED);
            long after = System.nanoTime();
            assertThat(a.ejections()).isEqualTo(n);
            assertThat(a.ejectedUntilNanos()).as("ejection %d", n)
                    .isBetween(before + expected[n - 1] * MS, after + expected[n - 1] * MS);
        }
    }

    @Test
    void theCountStartsOverAfterAWholeMaxEjectionWithoutOne() {
        Upstream upstream = upstream(2, 0, outliers(1, 50));
        UpstreamEndpoint a = upstream.endpoints().getFirst();
        upstream.report(a, REFUSED);
        a.ejectUntil(System.nanoTime() - 1);
        upstream.report(a, REFUSED);
        assertThat(a.ejections()).isEqualTo(2);
        a.ejectUntil(System.nanoTime() - 701 * MS); // back for longer than max-ejection
        upstream.report(a, REFUSED);
        assertThat(a.ejections()).isEqualTo(1);
    }

    @Test
    void resultsOfRequestsSentBeforeTheEjectionAreIgnored() {
        Upstream upstream = upstream(2, 0, outliers(2, 50));
        UpstreamEndpoint a = upstream.endpoints().getFirst();
        upstream.report(a, UNAVAILABLE);
        upstream.report(a, UNAVAILABLE);
        long until = a.ejectedUntilNanos();
        upstream.report(a, UNAVAILABLE);
        upstream.report(a, UNAVAILABLE);
        assertThat(a.ejections()).isEqualTo(1);
        assertThat(a.ejectedUntilNanos()).isEqualTo(until);
        assertThat(a.consecutiveFailures()).isZero();
    }

    @Test
    void maxEjectedPercentCapsThePoolButOneMayAlwaysGo() {
        Upstream three = upstream(3, 0, outliers(1, 50));
        three.endpoints().forEach(e -> three.report(e, UNAVAILABLE));
        assertThat(three.endpoints()).filteredOn(e -> e.ejections() > 0).hasSize(1);
        assertThat(three.offered()).hasSize(2);

        Upstream four = upstream(4, 0, outliers(1, 50));
        four.endpoints().forEach(e -> four.report(e, UNAVAILABLE));
        assertThat(four.offered()).hasSize(2);

        Upstream two = upstream(2, 0, outliers(1, 10));
        two.endpoints().forEach(e -> two.report(e, UNAVAILABLE));
        assertThat(two.offered()).as("10% of 2 rounds down, but one may always go").hasSize(1);

        Upstream single = upstream(1, 0, outliers(1, 50));
        single.report(single.endpoints().getFirst(), UNAVAILABLE);
        assertThat(single.offered()).as("50% of one endpoint is none").hasSize(1);
    }

    @Test
    void aCappedEndpointIsEjectedAtItsNextFailureOnceThereIsRoom() {
        Upstream upstream = upstream(2, 0, outliers(1, 50));
        UpstreamEndpoint a = upstream.endpoints().get(0);
        UpstreamEndpoint b = upstream.endpoints().get(1);
        upstream.report(a, UNAVAILABLE);
        upstream.report(b, UNAVAILABLE);
        assertThat(b.ejections()).isZero();
        a.ejectUntil(System.nanoTime() - 1);
        upstream.report(b, UNAVAILABLE);
        assertThat(b.ejections()).isEqualTo(1);
    }

    @Test
    void theBackupPoolHasItsOwnCap() {
        Upstream upstream = upstream(2, 2, outliers(1, 50));
        upstream.endpoints().forEach(e -> upstream.report(e, UNAVAILABLE));
        assertThat(upstream.endpoints()).filteredOn(e -> e.ejections() > 0)
                .extracting(UpstreamEndpoint::backup).containsExactlyInAnyOrder(false, true);
    }

    @Test
    void disabledDetectionNeverEjects() {
        assertThat(OutlierDetector.of(new OutlierConfig(false, null, null, null, null))).isSameAs(PassiveHealth.NONE);
    }

    @Test
    void concurrentFailuresFromManyThreadsRespectTheCap() throws Exception {
        Upstream upstream = upstream(4, 0, new OutlierConfig(true, 3, Duration.ofHours(1), Duration.ofHours(2), 50));
        ExecutorService threads = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        try {
            for (int t = 0; t < 8; t++) {
                threads.submit(() -> {
                    start.await();
                    for (int i = 0; i < 1_000; i++) {
                        for (UpstreamEndpoint e : upstream.endpoints()) {
                            upstream.report(e, i % 7 == 0 ? OK : UNAVAILABLE);
                        }
                    }
                    return null;
                });
            }
            start.countDown();
            threads.shutdown();
            assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            threads.shutdownNow();
        }
        assertThat(upstream.endpoints()).filteredOn(e -> e.ejections() > 0).hasSize(2);
        assertThat(upstream.offered()).hasSize(2);
    }
}
