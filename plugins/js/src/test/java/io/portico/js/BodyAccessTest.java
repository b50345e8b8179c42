package io.portico.js;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.core.test.TestOrigin;
import io.portico.core.test.TestPortico;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scripts reading and replacing request bodies, through a real Portico holding them. */
class BodyAccessTest {

    @TempDir
    static Path dir;
    static TestOrigin origin;
    static TestPortico portico;

    @BeforeAll
    static void start() {
        origin = TestOrigin.start(TestOrigin.echo());
        ConfigDir config = new ConfigDir(dir);
        config.script("stamp-json.js", """
                export function onRequest(req, ctx) {
                  const order = req.json();
                  if (order === null || typeof order.qty !== 'number') {
                    ctx.respond({status: 400, body: {error: 'qty must be a number'}});
                    return;
                  }
                  order.checkedBy = 'portico';
                  req.setBody(order);
                }
                """);
        config.script("bytes.js", """
                export function onRequest(req, ctx) {
                  const bytes = req.body();
                  const reversed = new Uint8Array(bytes.length);
                  for (let i = 0; i < bytes.length; i++) reversed[i] = bytes[bytes.length - 1 - i];
                  req.setBody(reversed);
                  req.headers.set('x-length', bytes.length);
                }
                """);
        config.script("no-limit.js", """
                export function onRequest(req, ctx) {
                  req.text();
                }
                """);
        portico = TestPortico.start(config.config("""
                upstreams: {app: {balancer: sequential, endpoints: ['%s']}}
                routes:
                  - {match: {path: /json/}, upstream: app, filters: [{js: {script: filters/stamp-json.js, request-body: 1KB}}]}
                  - {match: {path: /bytes/}, upstream: app, filters: [{js: {script: filters/bytes.js, request-body: 1KB}}]}
                  - {match: {path: /no-limit/}, upstream: app, filters: [{js: {script: filters/no-limit.js}}]}
                """.formatted(origin.address())));
    }

    @AfterAll
    static void stop() {
        portico.close();
        origin.close();
    }

    private static HttpResponse<String> post(String path, String body) {
        return portico.send(HttpRequest.newBuilder(portico.uri(path))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void aScriptRewritesAJsonRequestBody() {
        HttpResponse<String> response = post("/json/orders", "{\"qty\": 3}");

        assertThat(response.body()).isEqualTo("POST /json/orders\n{\"qty\":3,\"checkedBy\":\"portico\"}");
        TestOrigin.Received received = origin.takeRequest();
        assertThat(received.header("content-length")).isEqualTo(String.valueOf(received.body().length));
    }

    @Test
    void aScriptAnswersWithAJsonErrorForABadBody() {
        HttpResponse<String> response = post("/json/orders", "{\"qty\": \"three\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("content-type")).contains("application/json");
        assertThat(response.body()).isEqualTo("{\"error\":\"qty must be a number\"}");
        assertThat(origin.pendingRequests()).isZero();
    }

    @Test
    void bytesRoundTripThroughUint8Arrays() {
        HttpResponse<String> response = post("/bytes/", "abc\u00e9");

        assertThat(response.body()).isEqualTo("POST /bytes/\n" + new String(new byte[] {(byte) 0xa9, (byte) 0xc3, 'c', 'b', 'a'},
                java.nio.charset.StandardCharsets.UTF_8));
        assertThat(origin.takeRequest().header("x-length")).isEqualTo("5");
    }

    @Test
    void readingABodyWithoutALimitFailsWithWhatToConfigure() {
        try (LogCapture log = new LogCapture("io.portico.js.JsFilter")) {
            assertThat(post("/no-limit/", "x").statusCode()).isEqualTo(500);

            assertThat(log.messages()).anySatisfy(m -> assertThat(m).startsWith(
                    "filters/no-limit.js:2: req.text() needs the request body: give the filter 'request-body: <limit>'"));
        }
    }
}
