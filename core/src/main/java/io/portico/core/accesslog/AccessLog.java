package io.portico.core.accesslog;

import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one line per request to the {@code portico.access} logger:
 *
 * <pre>
 * 2026-11-29T20:01:02.123Z 127.0.0.1:50412 "GET /v1/items?id=3 HTTP/1.1" 200 in=0 out=5120 upstream=10.0.0.11:8080 route=api 1.734ms
 * </pre>
 *
 * <p>{@code in} and {@code out} are body bytes received from the client and sent to it;
 * {@code upstream} is {@code -} when no endpoint was used (a 404, a filter's own answer).
 *
 * <p>A {@code tcp} listener writes one line per connection, when it closes, in the same shape:
 *
 * <pre>
 * 2026-11-29T20:01:02.123Z 127.0.0.1:50412 "TCP 0.0.0.0:5432" 200 in=1843 out=52211 upstream=10.0.0.21:5432 5012.377ms
 * </pre>
 *
 * <p>where {@code in} and {@code out} count every byte relayed, and the status says how the
 * connection went, as nginx's stream module does: {@code 200} relayed, {@code 499} the client
 * left before an endpoint accepted, {@code 502} no endpoint accepted the connection, {@code 503}
 * none was available, {@code 500} the balancer failed. Route
 * the logger to its own appender, through an {@code AsyncAppender}, so that writing the log never
 * blocks an event loop (the distribution's {@code logback.xml} does).
 */
public final class AccessLog {

    /** The logger's name. */
    public static final String LOGGER_NAME = "portico.access";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);

    private final boolean enabled;

    /** @param enabled whether lines are written at all */
    public AccessLog(boolean enabled) {
        this.enabled = enabled;
    }

    /** One finished (or abandoned) request. */
    public record Entry(
            long startMillis,
            String client,
            String method,
            String uri,
            String protocol,
            int status,
            long bytesIn,
            long bytesOut,
            String upstream,
            String route,
            long durationNanos) {
    }

    /** One finished connection of a {@code tcp} listener. */
    public record Connection(
            long startMillis,
            String client,
            String listener,
            int status,
            long bytesIn,
            long bytesOut,
            String upstream,
            long durationNanos) {
    }

    /** Whether lines are written; callers skip building entries otherwise. */
    public boolean enabled() {
        return enabled && LOG.isInfoEnabled();
    }

    /** Writes {@code entry}. */
    public void log(Entry entry) {
        if (!enabled()) {
            return;
        }
        StringBuilder line = new StringBuilder(160)
                .append(Instant.ofEpochMilli(entry.startMillis())).append(' ')
                .append(entry.client()).append(" \"")
                .append(entry.method()).append(' ').append(entry.uri()).append(' ').append(entry.protocol()).append("\" ")
                .append(entry.status())
                .append(" in=").append(entry.bytesIn())
                .append(" out=").append(entry.bytesOut())
                .append(" upstream=").append(entry.upstream() == null ? "-" : entry.upstream())
                .append(" route=").append(entry.route() == null ? "-" : entry.route())
                .append(' ');
        appendDuration(line, entry.durationNanos());
        LOG.info(line.toString());
    }

    /** Writes {@code connection}. */
    public void log(Connection connection) {
        if (!enabled()) {
            return;
        }
        StringBuilder line = new StringBuilder(120)
                .append(Instant.ofEpochMilli(connection.startMillis())).append(' ')
                .append(connection.client()).append(" \"TCP ").append(connection.listener()).append("\" ")
                .append(connection.status())
                .append(" in=").append(connection.bytesIn())
                .append(" out=").append(connection.bytesOut())
                .append(" upstream=").append(connection.upstream() == null ? "-" : connection.upstream())
                .append(' ');
        appendDuration(line, connection.durationNanos());
        LOG.info(line.toString());
    }

    /** Appends a duration as milliseconds with three decimals: {@code 1.734ms}. */
    private static void appendDuration(StringBuilder line, long nanos) {
        long micros = nanos / 1000;
        line.append(micros / 1000).append('.');
        long fraction = micros % 1000;
        if (fraction < 100) {
            line.append('0');
        }
        if (fraction < 10) {
            line.append('0');
        }
        line.append(fraction).append("ms");
    }
}
