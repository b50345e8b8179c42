package io.portico.core.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.core.test.RawClient;
import io.portico.core.test.TestOrigin;
import io.portico.core.test.TestPortico;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Filters that fail, answer, or take their time (see {@link TestFilterFactory}). */
class FilterFailuresTest {

    private TestOrigin origin;
    private TestPortico portico;

    @BeforeEach
    void start() {
        origin = TestOrigin.start(TestOrigin.text("from origin"));
        portico = TestPortico.start("""
                upstreams: {app: {balancer: sequential, endpoints: [%s]}}
                routes:
                  - {match: {path: {exact: /throw}}, upstream: app, filters: [{test-filter: {action: throw}}]}
                  - {match: {path: {exact: /throw-on-response}}, upstream: app, filters: [{test-filter: {action: throw-on-response}}]}
                  - {match: {path: {exact: /fail-async}}, upstream: app, filters: [{test-filter: {action: fail-async}}]}
                  - {match: {path: {exact: /deny}}, upstream: app, filters: [{test-filter: {action: deny}}]}
                  - {match: {path: {exact: /later}}, upstream: app, filters: [{test-filter: {action: later}}]}
                  - {match: {path: {exact: /later-then-deny}}, upstream: app,
                     filters: [{test-filter: {action: later}}, {test-filter: {action: deny}}]}
                  - {upstream: app}
                """.formatted(origin.address()));
    }

    @AfterEach
    void stop() {
        portico.close();
        origin.close();
    }

    private static RawClient.Response get(RawClient client, String path) throws Exception {
        return client.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").read();
    }

    @Test
    void throwingFilterGets500AndTheConnectionServesOn() throws Exception {
        try (RawClient client = new RawClient(portico.port())) {
            RawClient.Response failed = get(client, "/throw");
            assertThat(failed.status()).isEqualTo(500);
            assertThat(failed.text()).contains("a filter failed");
            assertThat(origin.pendingRequests()).isZero();
            assertThat(get(client, "/plain").text()).isEqualTo("from origin");
        }
    }

    @Test
    void filterThrowingOnTheResponseGets500AndTheConnectionServesOn() throws Exception {
        try (RawClient client = new RawClient(portico.port())) {
            RawClient.Response failed = get(client, "/throw-on-response");
            assertThat(failed.status()).isEqualTo(500);
            assertThat(failed.text()).contains("a filter failed");
            assertThat(get(client, "/plain").text()).isEqualTo("from origin");
        }
    }

    @Test
    void failedAsyncDecisionGets500AndTheConnectionServesOn() throws Exception {
        try (RawClient client = new RawClient(portico.port())) {
            RawClient.Response failed = get(client, "/fail-async");
            assertThat(failed.status()).isEqualTo(500);
            assertThat(failed.text()).contains("a filter failed");
            assertThat(get(client, "/plain").text()).isEqualTo("from origin");
        }
        assertThat(origin.takeRequest().uri()).isEqualTo("/plain");
        assertThat(origin.pendingRequests()).isZero();
    }

    @Test
    void filterAnsweringInPlaceOfTheUpstream() throws Exception {
        try (RawClient client = new RawClient(portico.port())) {
            RawClient.Response denied = get(client, "/deny");
            assertThat(denied.status()).isEqualTo(403);
            assertThat(denied.text()).isEqualTo("denied by test filter\n");
            assertThat(get(client, "/plain").status()).isEqualTo(200);
        }
        assertThat(origin.takeRequest().uri()).isEqualTo("/plain");
    }

    @Test
    void asyncFilterProceedingLaterReachesTheUpstreamAndSeesTheResponse() throws Exception {
        try (RawClient client = new RawClient(portico.port())) {
            long start = System.nanoTime();
            RawClient.Response response = get(client, "/later");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
            assertThat(response.text()).isEqualTo("from origin");
            assertThat(response.header("x-filter-saw")).isEqualTo("200");
        }
        assertThat(origin.takeRequest().header("x-filtered")).isEqualTo("later");
    }

    @Test
    void answerFromALaterFilterGoesBackThroughTheEarlierOnes() throws Exception {
        try (RawClient client = new RawClient(portico.port())) {
            RawClient.Response response = get(client, "/later-then-deny");
            assertThat(response.status()).isEqualTo(403);
            assertThat(response.header("x-filter-saw")).isEqualTo("403");
        }
        assertThat(origin.pendingRequests()).isZero();
    }
}
