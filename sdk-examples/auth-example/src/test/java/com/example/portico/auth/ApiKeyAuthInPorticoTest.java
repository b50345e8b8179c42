package com.example.portico.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.testkit.PorticoExtension;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ApiKeyAuthInPorticoTest {

    @RegisterExtension
    static final PorticoExtension portico = PorticoExtension.withConfig("""
            upstreams:
              api: {balancer: first-endpoint, endpoints: [${origin0}]}
            routes:
              - match: {path: /}
                filters: [{api-key-auth: {keys: {k3y-for-alice: alice, k3y-for-bob: bob}}}]
                upstream: api
            """);

    private HttpResponse<String> get(String key, String user) {
        HttpRequest.Builder request = HttpRequest.newBuilder(portico.uri("/orders"));
        if (key != null) {
            request.header("x-api-key", key);
        }
        if (user != null) {
            request.header(ApiKeyAuthFilterFactory.USER_HEADER, user);
        }
        return portico.send(request);
    }

    @Test
    void aListedKeyGoesThroughAndTheOriginLearnsWhoSentIt() {
        HttpResponse<String> response = get("k3y-for-bob", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(portico.origin(0).lastRequest().header(ApiKeyAuthFilterFactory.USER_HEADER)).isEqualTo("bob");
    }

    @Test
    void aClientCannotClaimToBeSomeoneElse() {
        get("k3y-for-alice", "bob");

        assertThat(portico.origin(0).lastRequest().header(ApiKeyAuthFilterFactory.USER_HEADER)).isEqualTo("alice");
    }

    @Test
    void withoutAKeyTheClientIsChallengedAndTheOriginSeesNothing() {
        HttpResponse<String> response = get(null, "alice");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("www-authenticate")).hasValue("ApiKey header=\"x-api-key\"");
        assertThat(portico.origin(0).requests()).isEmpty();
    }

    @Test
    void anUnknownKeyIsRefused() {
        HttpResponse<String> response = get("guess", null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("unknown API key\n");
        assertThat(portico.origin(0).requests()).isEmpty();
    }
}
