package io.portico.core.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.portico.core.test.TestOrigin;
import io.portico.core.test.TestPortico;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The access log writes one line per request, with what an operator needs to read it. */
class AccessLogTest {

    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private Logger logger;

    @BeforeEach
    void capture() {
        logger = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER_NAME);
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
    }

    private List<String> messages() {
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void writesOneLinePerRequestWithClientStatusBytesUpstreamAndDuration() {
        try (TestOrigin origin = TestOrigin.start(TestOrigin.echo());
             TestPortico portico = TestPortico.start("""
                     upstreams: {app: {balancer: sequential, endpoints: [%s]}}
                     routes: [{name: app-route, match: {path: /app/}, upstream: app}]
                     """.formatted(origin.address()))) {
            portico.send(HttpRequest.newBuilder(portico.uri("/app/items?x=1"))
                    .POST(HttpRequest.BodyPublishers.ofString("hello")).build());
            portico.get("/nowhere");

            await().atMost(Duration.ofSeconds(5)).until(() -> messages().size() == 2);
            String proxied = messages().get(0);
            assertThat(proxied)
                    .matches("^\\d{4}-\\d\\d-\\d\\dT\\S+Z 127\\.0\\.0\\.1:\\d+ \"POST /app/items\\?x=1 HTTP/1\\.1\" 200 in=5 out=\\d+ upstream="
                            + origin.address().replace(".", "\\.") + " route=app-route \\d+\\.\\d{3}ms$");
            // The echo answers "POST /app/items?x=1\nhello": the out count is that body's size.
            assertThat(proxied).contains(" out=" + "POST /app/items?x=1\nhello".length() + " ");
            assertThat(messages().get(1)).contains("\"GET /nowhere HTTP/1.1\" 404 in=0").contains("upstream=- route=-");
        }
    }

    @Test
    void canBeTurnedOff() {
        try (TestOrigin origin = TestOrigin.start(TestOrigin.text("ok"));
             TestPortico portico = TestPortico.start("""
                     access-log: {enabled: false}
                     upstreams: {app: {balancer: sequential, endpoints: [%s]}}
                     routes: [{upstream: app}]
                     """.formatted(origin.address()))) {
            assertThat(portico.get("/").statusCode()).isEqualTo(200);
            assertThat(origin.takeRequest()).isNotNull();
            assertThat(messages()).isEmpty();
        }
    }
}
