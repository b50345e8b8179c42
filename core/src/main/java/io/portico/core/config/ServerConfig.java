package io.portico.core.config;

import io.portico.api.config.Size;
import java.time.Duration;

/**
 * Limits and timeouts on the client side of the proxy, and the event loops.
 *
 * @param maxInitialLineLength longest request line accepted; longer gets 414 (default 8KB)
 * @param maxHeaderSize largest total of request header lines; larger gets 431 (default 16KB)
 * @param maxBodySize largest request body for routes that don't set their own; larger gets 413
 *     (default 10MB)
 * @param headerTimeout time a client has to send a whole request head once it started one;
 *     slower gets 408 and the connection closed (default 10s)
 * @param idleTimeout time a keep-alive client connection may stay idle between requests, and
 *     the longest pause while a request body streams in (default 60s)
 * @param eventLoops the number of event loop threads; 0 means one per core (default 0)
 * @param transport {@code auto} (native epoll where available), {@code epoll} or {@code nio}
 * @param http2 HTTP/2 towards clients: whether it is offered, and its limits
 */
public record ServerConfig(
        Size maxInitialLineLength,
        Size maxHeaderSize,
        Size maxBodySize,
        Duration headerTimeout,
        Duration idleTimeout,
        Integer eventLoops,
        Transport transport,
        Http2Config http2) {

    /** Every default. */
    public static final ServerConfig DEFAULTS = new ServerConfig(null, null, null, null, null, null, null, null);

    /** The I/O transport of the event loops. */
    public enum Transport {
        /** Native epoll where it loads, NIO otherwise. */
        AUTO,
        /** Native epoll; fails when it cannot load. */
        EPOLL,
        /** Java NIO. */
        NIO
    }

    /** Applies defaults and validates. */
    public ServerConfig {
        maxInitialLineLength = maxInitialLineLength == null ? Size.ofKilobytes(8) : maxInitialLineLength;
        maxHeaderSize = maxHeaderSize == null ? Size.ofKilobytes(16) : maxHeaderSize;
        maxBodySize = maxBodySize == null ? Size.ofMegabytes(10) : maxBodySize;
        headerTimeout = headerTimeout == null ? Duration.ofSeconds(10) : Durations.positive(headerTimeout, "header-timeout");
        idleTimeout = idleTimeout == null ? Duration.ofSeconds(60) : Durations.positive(idleTimeout, "idle-timeout");
        eventLoops = eventLoops == null ? 0 : eventLoops;
        if (eventLoops < 0) {
            throw new IllegalArgumentException("event-loops must be 0 (one per core) or more, got " + eventLoops);
        }
        transport = transport == null ? Transport.AUTO : transport;
        http2 = http2 == null ? Http2Config.DEFAULTS : http2;
    }
}
