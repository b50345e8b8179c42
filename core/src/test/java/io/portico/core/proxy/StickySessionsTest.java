package io.portico.core.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.core.test.RawClient;
import io.portico.core.test.TestOrigin;
import io.portico.core.test.TestPortico;
import io.portico.core.upstream.Upstream;
import io.portico.core.upstream.UpstreamEndpoint;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A client keeps its endpoint through the affinity cookie, and is moved when that endpoint cannot serve. */
class StickySessionsTest {

    private final List<TestOrigin> origins = new ArrayList<>();
    private TestPortico portico;

    @BeforeEach
    void start() {
        for (String name : List.of("a", "b", "c")) {
            origins.add(TestOrigin.start(TestOrigin.text(name)));
        }
        portico = TestPortico.start("""
                upstreams:
                  app:
                    balancer: sequential
                    endpoints: [%s]
                    sticky: {cookie: srv, max-age: 1h}
                routes: [{upstream: app}]
                """.formatted(String.join(", ", origins.stream().map(TestOrigin::address).toList())));
    }

    @AfterEach
    void stop() {
        portico.close();
        origins.forEach(TestOrigin::close);
    }

    private RawClient.Response get(String cookieHeaders) throws IOException {
        try (RawClient client = new RawClient(portico.port())) {
            return client.send("GET / HTTP/1.1\r\nHost: x\r\n" + cookieHeaders + "\r\n").read();
        }
    }

    /** The {@code srv=...} pair of a response's Set-Cookie. */
    private static String cookieOf(RawClient.Response response) {
        String setCookie = response.header("set-cookie");
        assertThat(setCookie).as("Set-Cookie").isNotNull();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    @Test
    void theCookiePinsTheClientToTheEndpointThatServedIt() throws IOException {
        RawClient.Response first = get("");
        assertThat(first.header("set-cookie")).matches("srv=[A-Za-z0-9_-]{16}; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax");
        String cookie = cookieOf(first);
        assertThat(cookie).doesNotContain("127.0.0.1").doesNotContain(String.valueOf(origins.getFirst().port()));

        for (int i = 0; i < 5; i++) {
            RawClient.Response next = get("Cookie: theme=dark; " + cookie + "\r\n");
            assertThat(next.text()).isEqualTo(first.text());
            assertThat(next.header("set-cookie")).as("no new cookie while the pin holds").isNull();
        }
    }

    @Test
    void withoutTheCookieTheBalancerPicksAndEachClientIsPinnedWhereItLanded() throws IOException {
        Set<String> cookies = new HashSet<>();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RawClient.Response response = get("");
            bodies.add(response.text());
            cookies.add(cookieOf(response));
        }
        assertThat(bodies).containsExactly("a", "b", "c");
        assertThat(cookies).hasSize(3);
    }

    @Test
    void aGarbageCookieIsIgnoredAndReplaced() throws IOException {
        RawClient.Response response = get("Cookie: srv=\"not-a-token\"; srv=127.0.0.1:80; =; ;\r\n");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("set-cookie")).startsWith("srv=");
    }

    @Test
    void whenThePinnedEndpointIsUnavailableTheClientIsRepinned() throws IOException {
        RawClient.Response first = get("");
        String cookie = cookieOf(first);
        markUnavailable(first.text());

        RawClient.Response moved = get("Cookie: " + cookie + "\r\n");
        assertThat(moved.status()).isEqualTo(200);
        assertThat(moved.text()).isNotEqualTo(first.text());
        String newCookie = cookieOf(moved);
        assertThat(newCookie).isNotEqualTo(cookie);

        RawClient.Response after = get("Cookie: " + newCookie + "\r\n");
        assertThat(after.text()).isEqualTo(moved.text());
        assertThat(after.header("set-cookie")).isNull();
    }

    @Test
    void whenThePinnedEndpointFailsTheRequestIsRetriedAndTheClientRepinned() throws IOException {
        RawClient.Response first = get("");
        TestOrigin pinned = origins.stream().filter(o -> o.port() == portOf(first.text())).findFirst().orElseThrow();
        pinned.close();

        RawClient.Response moved = get("Cookie: " + cookieOf(first) + "\r\n");
        assertThat(moved.status()).isEqualTo(200);
        assertThat(moved.text()).isNotEqualTo(first.text());
        assertThat(cookieOf(moved)).isNotEqualTo(cookieOf(first));
    }

    private int portOf(String name) {
        return origins.get(List.of("a", "b", "c").indexOf(name)).port();
    }

    private void markUnavailable(String name) {
        Upstream upstream = portico.upstream("app");
        for (UpstreamEndpoint endpoint : upstream.endpoints()) {
            if (endpoint.port() == portOf(name)) {
                endpoint.checked(false, "set by the test");
            }
        }
        upstream.healthChanged();
    }
}
