package io.portico.core.config;

import io.portico.api.config.Size;
import java.time.Duration;

/**
 * HTTP/2 towards clients: whether it is offered, and the limits of each HTTP/2 connection.
 *
 * <pre>{@code
 * server:
 *   http2:
 *     max-concurrent-streams: 200
 *     max-resets: 100
 *     reset-window: 10s
 * }</pre>
 *
 * <p>The largest header block a client may send is {@code server.max-header-size}, as for
 * HTTP/1.1.
 *
 * @param enabled whether HTTP/2 is offered at all: through ALPN ({@code h2}) on TLS listeners, and
 *     with prior knowledge on plain ones when {@code cleartext} is on (default true)
 * @param cleartext whether plain listeners also take HTTP/2 with prior knowledge ({@code h2c}: a
 *     connection that opens with the HTTP/2 preface); HTTP/1.1 there is unaffected (default true)
 * @param maxConcurrentStreams how many requests one connection may have open at once; more are
 *     refused with {@code REFUSED_STREAM}, which clients retry (default 100)
 * @param initialWindowSize how much of one request's body a client may send ahead of what the
 *     upstream has taken (HTTP/2 stream flow control; default 256KB)
 * @param connectionWindowSize how much request body all streams of one connection together may
 *     send ahead: the most a connection can make Portico buffer (default 1MB)
 * @param maxFrameSize the largest frame a client may send, from 16KB to 16MB (default 16KB)
 * @param maxResets how many streams a client may cancel ({@code RST_STREAM}) within
 *     {@code reset-window} before the connection is closed with {@code GOAWAY}
 *     ({@code ENHANCE_YOUR_CALM}): the defence against "rapid reset" floods; 0 turns it off
 *     (default 200)
 * @param resetWindow the period {@code max-resets} counts over, in whole seconds (default 30s)
 */
public record Http2Config(Boolean enabled, Boolean cleartext, Integer maxConcurrentStreams, Size initialWindowSize,
                          Size connectionWindowSize, Size maxFrameSize, Integer maxResets, Duration resetWindow) {

    /** Every default. */
    public static final Http2Config DEFAULTS = new Http2Config(null, null, null, null, null, null, null, null);

    private static final long MAX_WINDOW = Integer.MAX_VALUE;
    private static final long MIN_FRAME = 16 * 1024;
    private static final long MAX_FRAME = 16 * 1024 * 1024 - 1;

    /** Applies defaults and validates. */
    public Http2Config {
        enabled = enabled == null || enabled;
        cleartext = cleartext == null || cleartext;
        maxConcurrentStreams = maxConcurrentStreams == null ? 100 : maxConcurrentStreams;
        if (maxConcurrentStreams < 1) {
            throw new IllegalArgumentException("max-concurrent-streams: expected 1 or more, got " + maxConcurrentStreams);
        }
        initialWindowSize = window(initialWindowSize, Size.ofKilobytes(256), "initial-window-size");
        connectionWindowSize = window(connectionWindowSize, Size.ofMegabytes(1), "connection-window-size");
        if (connectionWindowSize.bytes() < 65_535) {
            throw new IllegalArgumentException("connection-window-size: expected at least 65535B (the HTTP/2 default), got "
                    + connectionWindowSize.bytes() + "B");
        }
        maxFrameSize = maxFrameSize == null ? Size.ofBytes(MIN_FRAME) : maxFrameSize;
        if (maxFrameSize.bytes() < MIN_FRAME || maxFrameSize.bytes() > MAX_FRAME) {
            throw new IllegalArgumentException("max-frame-size: expected from 16KB to 16MB less one byte ("
                    + MAX_FRAME + "B), got " + maxFrameSize.bytes() + "B");
        }
        maxResets = maxResets == null ? 200 : maxResets;
        if (maxResets < 0) {
            throw new IllegalArgumentException("max-resets: expected 0 (no limit) or more, got " + maxResets);
        }
        resetWindow = resetWindow == null ? Duration.ofSeconds(30) : Durations.positive(resetWindow, "reset-window");
        if (resetWindow.toMillis() % 1000 != 0 || resetWindow.toSeconds() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("reset-window: expected whole seconds such as 30s, got " + resetWindow.toMillis() + "ms");
        }
    }

    private static Size window(Size size, Size fallback, String key) {
        Size value = size == null ? fallback : size;
        if (value.bytes() < 1 || value.bytes() > MAX_WINDOW) {
            throw new IllegalArgumentException(key + ": expected from 1B to 2GB less one byte, got " + value.bytes() + "B");
        }
        return value;
    }

    /** Whether plain listeners take HTTP/2 with prior knowledge. */
    public boolean cleartextOn() {
        return enabled && cleartext;
    }
}
