package io.portico.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portico.core.config.HostPort;
import io.portico.core.config.StickyConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The affinity cookie: opaque values, robust reading of whatever clients send. */
class StickyCookieTest {

    private static final StickyConfig CONFIG = new StickyConfig("srv", null, null, null);
    private final UpstreamEndpoint first = endpoint("10.0.0.1:8080");
    private final UpstreamEndpoint second = endpoint("10.0.0.2:8080");
    private final StickyCookie cookie = new StickyCookie("app", List.of(first, second), CONFIG);

    private static UpstreamEndpoint endpoint(String address) {
        HostPort hostPort = HostPort.parse(address);
        return new UpstreamEndpoint(hostPort, 1, new InetSocketAddress(hostPort.host(), hostPort.port()), false);
    }

    private String token(UpstreamEndpoint endpoint) {
        String setCookie = cookie.setCookie(endpoint);
        return setCookie.substring("srv=".length(), setCookie.indexOf(';'));
    }

    @Test
    void setCookieCarriesAnOpaqueTokenAndTheAttributes() {
        String setCookie = cookie.setCookie(first);
        assertThat(setCookie).matches("srv=[A-Za-z0-9_-]{16}; Path=/; HttpOnly; SameSite=Lax");
        assertThat(token(first)).doesNotContain("10.0.0.1").doesNotContain("8080").isNotEqualTo(token(second));

        StickyCookie lasting = new StickyCookie("app", List.of(first), new StickyConfig("srv", Duration.ofHours(1), "/shop", null));
        assertThat(lasting.setCookie(first)).endsWith("; Path=/shop; Max-Age=3600; HttpOnly; SameSite=Lax");
    }

    @Test
    void readsTheCookieAmongOthersWithSpacesAndQuotes() {
        String t = token(second);
        assertThat(cookie.pinned(List.of("srv=" + t))).isSameAs(second);
        assertThat(cookie.pinned(List.of("theme=dark;  srv = \"" + t + "\" ;lang=en"))).isSameAs(second);
        assertThat(cookie.pinned(List.of("theme=dark", "srv=" + t))).as("several Cookie headers").isSameAs(second);
        assertThat(cookie.pinned(List.of("srv=garbage; srv=" + t))).as("a later valid one of the same name").isSameAs(second);
        assertThat(cookie.pinned(List.of("xsrv=" + t + "; srvx=" + t))).as("only the exact name").isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ";;;", "srv", "srv=", "=abc", "srv=\"", "srv=AAAAAAAAAAAAAAAA", "srv=10.0.0.1:8080",
        "srv=AAAAAAAAAAAAAAA!", "srv=\"AAAAAAAAAAAAAAAA", "SRV=AAAAAAAAAAAAAAAA"})
    void malformedOrUnknownValuesPinNothing(String header) {
        assertThat(cookie.pinned(List.of(header))).isNull();
    }

    @Test
    void valuesDependOnTheKeyAndTheUpstream() {
        StickyConfig withSecret = new StickyConfig("srv", null, null, "a shared secret of some length");
        StickyCookie one = new StickyCookie("app", List.of(first), withSecret);
        StickyCookie restarted = new StickyCookie("app", List.of(endpoint("10.0.0.1:8080")), withSecret);
        StickyCookie otherUpstream = new StickyCookie("api", List.of(first), withSecret);
        assertThat(restarted.setCookie(restarted.pinned(List.of(one.setCookie(first).split(";")[0])))).isEqualTo(one.setCookie(first));
        assertThat(otherUpstream.setCookie(first)).isNotEqualTo(one.setCookie(first));
        assertThat(one.setCookie(first)).as("the per-process key differs from the secret").isNotEqualTo(cookie.setCookie(first));
    }

    @Test
    void badSettingsAreRejected() {
        assertThatThrownBy(() -> new StickyConfig("srv", null, "/a; Domain=evil", null))
                .hasMessageContaining("path: expected a path starting with '/'");
        assertThatThrownBy(() -> new StickyConfig("srv", null, null, "short")).hasMessage("secret: expected at least 16 characters, got 5");
        assertThatThrownBy(() -> new StickyConfig("s r v", null, null, null)).hasMessageContaining("not a valid cookie name");
    }
}
