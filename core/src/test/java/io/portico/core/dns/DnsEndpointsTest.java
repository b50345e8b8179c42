package io.portico.core.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.portico.core.config.ConfigException;
import io.portico.core.config.ConfigLoader;
import io.portico.core.test.TestOrigin;
import io.portico.core.upstream.Upstream;
import io.portico.core.test.TestPortico;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Endpoints written as host names follow their DNS answer: a real DNS server on 127.0.0.1 answers
 * with a time to live of one second, and two origins listen on the same port of 127.0.0.1 and
 * 127.0.0.2.
 */
class DnsEndpointsTest {

    private static final String NAME = "app.portico.test";

    private final TestDnsServer dns = new TestDnsServer();
    private TestOrigin first;
    private TestOrigin second;
    private TestPortico portico;

    @BeforeEach
    void startOrigins() {
        first = TestOrigin.start(TestOrigin.text("first"));
        second = TestOrigin.start(new InetSocketAddress("127.0.0.2", first.port()), TestOrigin.text("second"));
    }

    @AfterEach
    void stop() {
        if (portico != null) {
            portico.close();
        }
        first.close();
        second.close();
        dns.close();
    }

    @Test
    void theUpstreamFollowsTheAnswerWithoutFailingARequest() {
        dns.answer(NAME, "127.0.0.1");
        portico = startPortico(NAME + ":" + first.port());
        assertThat(bodies(4)).containsOnly("first");

        dns.answer(NAME, "127.0.0.1", "127.0.0.2");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> succeeded(portico.get("/")).equals("second"));
        assertThat(bodies(4)).containsExactlyInAnyOrder("first", "first", "second", "second");

        dns.answer(NAME, "127.0.0.2");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> bodies(2).equals(List.of("second", "second")));
        int firstReceived = first.pendingRequests();
        assertThat(bodies(10)).containsOnly("second");
        assertThat(first.pendingRequests()).as("requests to the address that left").isEqualTo(firstReceived);
    }

    @Test
    void addressesThatDnsAddsLaterAreHealthCheckedToo() {
        dns.answer(NAME, "127.0.0.1");
        // Nothing listens on 127.0.0.3: without a probe of it, requests would fail there (no
        // retries, no passive ejection in this upstream).
        portico = TestPortico.start("""
                dns: {servers: ['%s']}
                upstreams:
                  app:
                    balancer: sequential
                    endpoints: [%s]
                    health-check: {type: tcp, interval: 100ms, timeout: 500ms, jitter: 0ms, unhealthy-threshold: 1}
                    outlier-detection: {enabled: false}
                    retries: {attempts: 0}
                routes: [{upstream: app}]
                """.formatted(dns.address(), NAME + ":" + first.port()));
        Upstream upstream = portico.upstream("app");

        dns.answer(NAME, "127.0.0.1", "127.0.0.3");
        await().atMost(Duration.ofSeconds(10)).until(() -> upstream.endpoints().stream().anyMatch(endpoint ->
                endpoint.address().getAddress().getHostAddress().equals("127.0.0.3")
                        && !endpoint.checkedHealthy() && endpoint.checkReason().equals("connect refused")));

        assertThat(bodies(6)).containsOnly("first");
    }

    @Test
    void aFailedLookupKeepsTheAddressesKnown() {
        dns.answer(NAME, "127.0.0.1");
        portico = startPortico(NAME + ":" + first.port());
        assertThat(bodies(2)).containsOnly("first");

        dns.forget(NAME);
        int queries = dns.queries();
        await().atMost(Duration.ofSeconds(10)).until(() -> dns.queries() > queries);

        assertThat(bodies(4)).containsOnly("first");
    }

    @Test
    void ipAddressesAndHostNamesMixInOneUpstream() {
        dns.answer(NAME, "127.0.0.2");
        portico = startPortico(first.address() + ", " + NAME + ":" + first.port());

        assertThat(bodies(4)).containsExactly("first", "second", "first", "second");
    }

    @Test
    void aHostNameThatDoesNotResolveIsAConfigurationError() {
        dns.answer(NAME, "127.0.0.1");

        assertThatThrownBy(() -> startPortico(NAME + ":" + first.port() + ", nowhere.portico.test:80"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("upstreams.app.endpoints[1]")
                .hasMessageContaining("cannot resolve host 'nowhere.portico.test'");
    }

    @Test
    void aNameServerMustBeAnIpAddressWithAPort() {
        assertThatThrownBy(() -> ConfigLoader.parse("dns: {servers: ['ns.example:53']}", Path.of("portico.yaml")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("dns")
                .hasMessageContaining("expected an IP address and port such as 10.0.0.2:53, got ns.example:53");
    }

    private TestPortico startPortico(String endpoints) {
        return TestPortico.start("""
                dns: {servers: ['%s']}
                upstreams: {app: {balancer: sequential, endpoints: [%s]}}
                routes: [{upstream: app}]
                """.formatted(dns.address(), endpoints));
    }

    /** The bodies of {@code n} requests, each of which must succeed. */
    private List<String> bodies(int n) {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            bodies.add(succeeded(portico.get("/")));
        }
        return bodies;
    }

    private static String succeeded(HttpResponse<String> response) {
        assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(200);
        return response.body();
    }
}
