package com.example.portico;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.testkit.PorticoExtension;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GreetingFilterTest {

    @RegisterExtension
    static final PorticoExtension portico = PorticoExtension.withConfig("""
            upstreams:
              app: {balancer: first-endpoint, endpoints: [${origin0}]}
            routes:
              - match: {path: /}
                filters: [{greeting: {text: hello}}]
                upstream: app
            """);

    @Test
    void greetsTheOriginAndTheClient() {
        HttpResponse<String> response = portico.get("/");

        assertThat(response.body()).isEqualTo("origin 0");
        assertThat(response.headers().firstValue("x-greeting")).hasValue("hello");
        assertThat(portico.origin(0).lastRequest().header("x-greeting")).isEqualTo("hello");
    }
}
