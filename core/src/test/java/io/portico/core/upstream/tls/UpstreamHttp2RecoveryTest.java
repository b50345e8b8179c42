package io.portico.core.upstream.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.portico.core.test.SequentialBalancerFactory;
import io.portico.core.test.TestPortico;
import io.portico.core.upstream.UpstreamEndpoint;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Requests an HTTP/2 origin did not process, because it shut the connection down ({@code GOAWAY})
 * or refused the stream ({@code REFUSED_STREAM}), are sent again: no client sees an error.
 */
class UpstreamHttp2RecoveryTest {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static TestPortico portico(String endpoints, String more) {
        return TestPortico.start("""
                server: {event-loops: 1}
                upstreams: {app: {balancer: sequential, endpoints: [%s], protocol: h2%s}}
                routes: [{upstream: app}]
                """.formatted(endpoints, more));
    }

    private static HttpRequest request(TestPortico portico, String method, String path, String body) {
        return HttpRequest.newBuilder(portico.uri(path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static List<HttpResponse<String>> concurrently(List<HttpRequest> requests) {
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (HttpRequest request : requests) {
            sent.add(CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        return sent.stream().map(CompletableFuture::join).toList();
    }

    @Test
    void requestsAboveTheLastStreamOfAGoAwayAreSentAgainOnANewConnection() throws Exception {
        try (FrameOrigin origin = new FrameOrigin("a")) {
            origin.goAwayAfter = 10;
            origin.delayMillis = 50;
            try (TestPortico portico = portico(origin.address(), "")) {
                for (int i = 0; i < 12; i++) {
                    HttpResponse<String> response = CLIENT.send(request(portico, "GET", "/seq" + i, null),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(response.statusCode()).isEqualTo(200);
                    assertThat(response.body()).isEqualTo("a GET /seq" + i + " 0");
                }
                List<HttpRequest> requests = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    requests.add(i % 2 == 0 ? request(portico, "GET", "/c" + i, null) : request(portico, "POST", "/c" + i, "body " + i));
                }
                List<HttpResponse<String>> responses = concurrently(requests);

                for (int i = 0; i < responses.size(); i++) {
                    assertThat(responses.get(i).statusCode()).as("response %d: %s", i, responses.get(i).body()).isEqualTo(200);
                    assertThat(responses.get(i).body()).isEqualTo(i % 2 == 0 ? "a GET /c" + i + " 0"
                            : "a POST /c" + i + " " + ("body " + i).length());
                }
                // Each request was answered exactly once: those at or below a GOAWAY's last stream on the connection
                // it shut down (their answers came after it), those above it on a new one.
                assertThat(origin.answered).extracting(FrameOrigin.Request::path).doesNotHaveDuplicates().hasSize(42);
                assertThat(origin.goAwaysSent.get()).isGreaterThanOrEqualTo(2);
                assertThat(origin.ignored.get()).isPositive();
            }
        }
    }

    @Test
    void aRefusedPostIsSentAgainToTheSameEndpointWithItsWholeBody() throws Exception {
        String body = "x".repeat(20_000);
        try (FrameOrigin origin = new FrameOrigin("a")) {
            AtomicBoolean first = new AtomicBoolean(true);
            // Refused once read whole: Portico had streamed all of it, and must send all of it again.
            origin.refuseWhenRead = request -> first.getAndSet(false);
            try (TestPortico portico = portico(origin.address(), "")) {
                HttpResponse<String> response = portico.send(request(portico, "POST", "/upload", body));

                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("a POST /upload 20000");
                assertThat(origin.refused).singleElement().extracting(FrameOrigin.Request::text).isEqualTo(body);
                assertThat(origin.answered).singleElement().extracting(FrameOrigin.Request::text).isEqualTo(body);
                assertThat(origin.connections).hasValue(1);
                assertThat(results(portico)).containsExactly(origin.address() + " RESPONDED 200");
            }
        }
    }

    @Test
    void aBodyStillArrivingFollowsTheRequestSentAgain() throws Exception {
        try (FrameOrigin origin = new FrameOrigin("a")) {
            AtomicBoolean first = new AtomicBoolean(true);
            origin.refuseAtHeaders = request -> first.getAndSet(false);
            try (TestPortico portico = portico(origin.address(), "");
                 Socket client = new Socket("127.0.0.1", portico.port())) {
                client.setSoTimeout(10_000);
                OutputStream out = client.getOutputStream();
                out.write("POST /slow HTTP/1.1\r\nHost: app\r\nContent-Length: 10\r\nConnection: close\r\n\r\nhello"
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                await().atMost(Duration.ofSeconds(10)).until(() -> origin.refused.size() == 1);
                out.write("world".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String raw = new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);

                assertThat(raw).startsWith("HTTP/1.1 200").endsWith("a POST /slow 10");
                assertThat(origin.answered).singleElement().extracting(FrameOrigin.Request::text).isEqualTo("helloworld");
            }
        }
    }

    @Test
    void aRequestRefusedTwiceGoesToAnotherEndpoint() throws Exception {
        try (FrameOrigin a = new FrameOrigin("a"); FrameOrigin b = new FrameOrigin("b")) {
            a.refuseAtHeaders = request -> true;
            try (TestPortico portico = portico(a.address() + ", " + b.address(), "")) {
                HttpResponse<String> response = portico.send(request(portico, "POST", "/order", "one pizza"));

                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("b POST /order 9");
                assertThat(a.refused).hasSize(2);
                assertThat(b.answered).singleElement().extracting(FrameOrigin.Request::text).isEqualTo("one pizza");
                // Refusing work is not failing: the balancer hears only of the request b answered.
                assertThat(results(portico)).containsExactly(b.address() + " RESPONDED 200");
            }
        }
    }

    @Test
    void aBodyTooLargeToKeepIsNotSentAgain() throws Exception {
        try (FrameOrigin origin = new FrameOrigin("a")) {
            origin.refuseWhenRead = request -> true;
            try (TestPortico portico = portico(origin.address(), "")) {
                HttpResponse<String> response = portico.send(request(portico, "POST", "/big", "x".repeat(100_000)));

                assertThat(response.statusCode()).isEqualTo(502);
                assertThat(response.body()).contains("REFUSED_STREAM").contains("too much to send again");
                assertThat(origin.refused).hasSize(1);
                assertThat(origin.answered).isEmpty();
            }
        }
    }

    @Test
    void aGracefullyDrainingEndpointIsNotEjected() throws Exception {
        try (FrameOrigin a = new FrameOrigin("a"); FrameOrigin b = new FrameOrigin("b")) {
            a.goAwayAfter = 1;
            a.delayMillis = 50;
            b.delayMillis = 50;
            try (TestPortico portico = portico(a.address() + ", " + b.address(),
                    ", outlier-detection: {consecutive-failures: 1, base-ejection: 1m}")) {
                List<HttpRequest> requests = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    requests.add(request(portico, "POST", "/p" + i, "body " + i));
                }
                List<HttpResponse<String>> responses = concurrently(requests);

                assertThat(responses).allSatisfy(response -> assertThat(response.statusCode()).isEqualTo(200));
                assertThat(a.ignored.get()).isPositive();
                UpstreamEndpoint endpointA = portico.upstream("app").endpoints().getFirst();
                assertThat(endpointA.ejections()).isZero();
                assertThat(endpointA.consecutiveFailures()).isZero();
                assertThat(results(portico)).hasSize(20).allSatisfy(result -> assertThat(result).endsWith("RESPONDED 200"));
            }
        }
    }

    private static List<String> results(TestPortico portico) {
        return ((SequentialBalancerFactory.Sequential) portico.upstream("app").balancer()).results();
    }
}
