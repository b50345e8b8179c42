package io.portico.core.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.portico.core.config.Http2Config;
import io.portico.core.config.ServerConfig;

/**
 * HTTP/2 towards clients: turns a client connection whose client chose HTTP/2 (through ALPN on a
 * TLS listener, or by opening with the HTTP/2 preface on a plain one) from the HTTP/1.1 pipeline
 * it starts with into an HTTP/2 connection, each of whose streams is proxied by the same
 * {@link ProxyHandler} that proxies an HTTP/1.1 connection:
 *
 * <pre>
 *  socket
 *    |  SslHandler              on TLS listeners
 *    |  FlushConsolidation      the flushes of one read or one turn of the event loop leave as one write
 *    |  Http2FrameCodec         frames, HPACK, flow control, SETTINGS limits, rapid-reset guard
 *    |  Http2MultiplexHandler   one child channel per stream:
 *    |    |  ClientTimeouts      the request body's clock
 *    |    |  Http2StreamCodec    frames to HTTP objects and back; a bodiless response as one HEADERS frame
 *    |    |  ResponseCompressor  added by the first response of a route that compresses
 *    |    v  ProxyHandler        one exchange, as on HTTP/1.1
 *    v  Http2Lifecycle          closes the connection once idle; GOAWAY when the server drains
 * </pre>
 *
 * <p>Routing, filters, balancing, retries, compression and the access log thus work for HTTP/2
 * unchanged. A stream's channel reads by hand like an HTTP/1.1 connection: its DATA frames are
 * taken only as the upstream can take them, and the client's flow-control window is opened
 * ({@code WINDOW_UPDATE}) only for what was taken, so a slow origin slows the client's upload of
 * that request alone. The connection itself reads freely: flow control bounds what it buffers.
 */
final class Http2Server {

    /** HTTP/2's initial connection window, which only a WINDOW_UPDATE can grow. */
    private static final int DEFAULT_WINDOW = 65_535;

    private final HttpProxy proxy;
    private final ListenerPolicy policy;
    private final ChannelInitializer<Channel> streams = new ChannelInitializer<>() {
        @Override
        protected void initChannel(Channel stream) {
            ServerConfig server = proxy.runtime().config().server();
            stream.config().setAutoRead(false);
            // Named here: a generated name costs a cache lookup and a search of the pipeline, per stream.
            stream.pipeline()
                    .addLast("timeouts", new ClientTimeouts(server.headerTimeout().toMillis(), server.idleTimeout().toMillis()))
                    .addLast("codec", new Http2StreamCodec())
                    .addLast("proxy", new ProxyHandler(proxy, policy, true));
        }
    };

    Http2Server(HttpProxy proxy, ListenerPolicy policy) {
        this.proxy = proxy;
        this.policy = policy;
    }

    /**
     * Replaces the HTTP/1.1 handlers of {@code at}'s connection with HTTP/2 ones, placed right
     * after {@code at}, which has seen no request yet: the bytes it passes on next are the
     * client's connection preface.
     */
    void takeOver(ChannelHandlerContext at) {
        ChannelPipeline pipeline = at.pipeline();
        pipeline.remove(ProxyHandler.class);
        pipeline.remove(ServerCodec.class);
        pipeline.remove(ClientTimeouts.class);

        ServerConfig server = proxy.runtime().config().server();
        Http2Config limits = server.http2();
        Http2FrameCodec codec = Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings()
                        .maxConcurrentStreams(limits.maxConcurrentStreams())
                        .initialWindowSize((int) limits.initialWindowSize().bytes())
                        .maxFrameSize((int) limits.maxFrameSize().bytes())
                        .maxHeaderListSize(server.maxHeaderSize().bytes()))
                .decoderEnforceMaxRstFramesPerWindow(limits.maxResets(), (int) limits.resetWindow().toSeconds())
                // Closing (on drain or idle) sends GOAWAY and waits for the streams open; the shutdown deadline bounds that.
                .gracefulShutdownTimeoutMillis(-1)
                .build();
        pipeline.addAfter(at.name(), "h2-flushes", consolidatedFlushes());
        pipeline.addAfter("h2-flushes", "h2-codec", codec);
        pipeline.addAfter("h2-codec", "h2-streams", new Http2MultiplexHandler(streams));
        pipeline.addAfter("h2-streams", "h2-lifecycle", new Http2Lifecycle(codec.connection(), server.idleTimeout().toMillis(),
                (int) limits.connectionWindowSize().bytes() - DEFAULT_WINDOW));
        // Stream flow control is the back-pressure now: HEADERS, SETTINGS and PINGs must be read while bodies wait.
        at.channel().config().setAutoRead(true);
    }

    /**
     * Batches the flushes of an HTTP/2 connection, client or origin side. Its streams' frames are
     * written as the other side's reads arrive, mostly outside this connection's own reads, and each
     * stream flushes on its own: without batching, one {@code writev} (and one TLS record) per
     * stream. With it, the flushes of one read, or of one turn of the event loop, become one.
     */
    static FlushConsolidationHandler consolidatedFlushes() {
        return new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true);
    }
}
