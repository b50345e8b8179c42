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
 * {@code upstream} is {@code -} when no endpoint was used (a 404, a filter's own answer). Route
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
        long micros = entry.durationNanos() / 1000;
        line.append(micros / 1000).append('.');
        long fraction = micros % 1000;
        if (fraction < 100) {
            line.append('0');
        }
        if (fraction < 10) {
            line.append('0');
        }
        line.append(fraction).append("ms");
        LOG.info(line.toString());
    }
}
