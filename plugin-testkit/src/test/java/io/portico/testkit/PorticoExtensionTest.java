package io.portico.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PorticoExtensionTest {

    @RegisterExtension
    static final PorticoExtension portico = PorticoExtension.withConfig("""
            upstreams:
              app: {balancer: first-endpoint, endpoints: [${origin0}]}
              other: {balancer: first-endpoint, endpoints: [${origin1}]}
            routes:
              - match: {path: /other}
                upstream: other
              - match: {path: /}
                filters: [testkit-stamp]
                upstream: app
            """).origins(2);

    @Test
    void aClasspathFilterRunsInARealPorticoInFrontOfTheOrigins() {
        HttpResponse<String> response = portico.get("/hello?x=1");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("origin 0");
        assertThat(response.headers().firstValue("x-stamp")).hasValue("on the way out");
        OriginRequest received = portico.origin(0).lastRequest();
        assertThat(received.uri()).isEqualTo("/hello?x=1");
        assertThat(received.header("X-Stamp")).isEqualTo("on the way in");

        assertThat(portico.get("/other").body()).isEqualTo("origin 1");
    }

    @Test
    void originsAnswerAsTheyAreToldAndRecordBodies() {
        portico.origin(0).respond(request -> OriginResponse.text(201, "made " + request.body())
                .header("location", "/things/1"));

        HttpResponse<String> response = portico.send(HttpRequest.newBuilder(portico.uri("/things"))
                .POST(HttpRequest.BodyPublishers.ofString("a thing")));

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).isEqualTo("made a thing");
        assertThat(response.headers().firstValue("location")).hasValue("/things/1");
        assertThat(portico.origin(0).lastRequest().method()).isEqualTo("POST");
    }

    @Test
    void aFilterAnswerNeverReachesTheOrigin() {
        int before = portico.origin(0).requests().size();

        HttpResponse<String> response = portico.get("/forbidden");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).isEqualTo("stamped out");
        assertThat(portico.origin(0).requests()).hasSize(before);
    }
}
