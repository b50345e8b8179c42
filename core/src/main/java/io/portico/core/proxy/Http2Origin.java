package io.portico.core.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.portico.core.config.UpstreamConfig;
import io.portico.core.upstream.Upstream;
import io.portico.core.upstream.UpstreamEndpoint;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/2 connection to an origin, and the last handler of its pipeline, which sees what
 * concerns the whole connection ({@code SETTINGS}, {@code GOAWAY}, idleness):
 *
 * <pre>
 * socket -&gt; SslHandler (with tls) -&gt; Http2FrameCodec -&gt; Http2MultiplexHandler -&gt; IdleStateHandler -&gt; Http2Origin
 * </pre>
 *
 * <p>Each stream is a child channel:
 *
 * <pre>
 * Http2StreamFrameToHttpObjectCodec -&gt; Http2StreamAdapter -&gt; IdleStateHandler -&gt; BackendHandler
 * </pre>
 *
 * <p>Streams are counted from when they are reserved ({@link #tryReserve()}) until their channel
 * closes. Until the origin's first {@code SETTINGS} arrive, up to {@link #ASSUMED_MAX_STREAMS} are
 * reserved and wait; those beyond the origin's real limit then go to another connection.
 */
final class Http2Origin extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(Http2Origin.class);

    /** Streams reserved before the origin states its limit (RFC 9113 recommends allowing 100 or more). */
    static final int ASSUMED_MAX_STREAMS = 100;
    /** The largest response head accepted, as for HTTP/1.1. */
    private static final int MAX_HEADER_LIST_SIZE = 64 * 1024;

    private final Http2Origins owner;
    private final EventLoop loop;
    final UpstreamEndpoint endpoint;
    private final Upstream upstream;
    private final ArrayDeque<Promise<Channel>> waiting = new ArrayDeque<>(4);
    private Channel channel;
    /** The origin's SETTINGS arrived: streams can be opened. */
    private boolean ready;
    /** Closing, or the origin sent GOAWAY: no new streams. */
    private boolean retired;
    private long maxStreams = ASSUMED_MAX_STREAMS;
    private int streams;

    Http2Origin(Http2Origins owner, EventLoop loop, UpstreamEndpoint endpoint, Upstream upstream) {
        this.owner = owner;
        this.loop = loop;
        this.endpoint = endpoint;
        this.upstream = upstream;
    }

    /** Counts one more stream, if the connection has room for it. */
    boolean tryReserve() {
        if (retired || streams >= maxStreams) {
            return false;
        }
        streams++;
        return true;
    }

    /** Opens a reserved stream for {@code stream}, now or once the connection is ready. */
    void open(Promise<Channel> stream) {
        if (!ready) {
            waiting.add(stream);
            return;
        }
        UpstreamConfig config = upstream.config();
        new Http2StreamChannelBootstrap(channel)
                .option(ChannelOption.AUTO_READ, false)
                .handler(new ChannelInitializer<Http2StreamChannel>() {
                    @Override
                    protected void initChannel(Http2StreamChannel ch) {
                        ch.pipeline().addLast(
                                new Http2StreamFrameToHttpObjectCodec(false),
                                new Http2StreamAdapter(),
                                new IdleStateHandler(config.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS),
                                new BackendHandler(endpoint));
                    }
                })
                .open()
                .addListener((Future<Http2StreamChannel> opened) -> {
                    if (!opened.isSuccess()) {
                        streamEnded();
                        stream.tryFailure(opened.cause());
                        return;
                    }
                    Http2StreamChannel ch = opened.getNow();
                    ch.closeFuture().addListener(f -> streamEnded());
                    if (!stream.trySuccess(ch)) {
                        ch.close();
                    }
                });
    }

    /** Makes the connection; the reserved streams open when the origin's SETTINGS arrive. */
    void connect() {
        long idleMillis = upstream.config().idleTimeout().toMillis();
        owner.connector.open(loop, endpoint, upstream, true, ch -> ch.pipeline().addLast(
                Http2Server.consolidatedFlushes(),
                Http2FrameCodecBuilder.forClient()
                        .initialSettings(Http2Settings.defaultSettings().pushEnabled(false).maxHeaderListSize(MAX_HEADER_LIST_SIZE))
                        .build(),
                new Http2MultiplexHandler(Http2Origins.REFUSE_PUSH),
                new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS),
                this))
                .addListener((Future<Channel> connected) -> {
                    if (connected.isSuccess()) {
                        channel = connected.getNow();
                        channel.closeFuture().addListener(f -> closed());
                    } else {
                        retire();
                        failWaiting(connected.cause());
                    }
                });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            switch (msg) {
                case Http2SettingsFrame settings -> settingsReceived(settings.settings());
                case Http2GoAwayFrame goAway -> {
                    LOG.debug("{} sent GOAWAY ({}), last stream {}", endpoint, goAway.errorCode(), goAway.lastStreamId());
                    retire();
                    closeIfUnused();
                }
                default -> {
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && streams == 0) {
            retire();
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("HTTP/2 connection to {} failed", endpoint, cause);
        ctx.close();
    }

    private void settingsReceived(Http2Settings settings) {
        Long max = settings.maxConcurrentStreams();
        if (max != null) {
            maxStreams = max;
        } else if (!ready) {
            maxStreams = Long.MAX_VALUE;
        }
        if (ready) {
            return;
        }
        ready = true;
        // Streams reserved beyond what the origin allows go to another connection.
        for (long excess = streams - maxStreams; excess > 0 && !waiting.isEmpty(); excess--) {
            streams--;
            owner.dispatch(loop, endpoint, upstream, waiting.pollLast());
        }
        Promise<Channel> stream;
        while ((stream = waiting.pollFirst()) != null) {
            open(stream);
        }
    }

    private void streamEnded() {
        streams--;
        closeIfUnused();
    }

    private void closeIfUnused() {
        if (retired && streams == 0 && channel != null) {
            channel.close();
        }
    }

    private void retire() {
        if (!retired) {
            retired = true;
            owner.forget(this);
        }
    }

    private void closed() {
        retire();
        failWaiting(new IOException("connection to " + endpoint.id() + " closed before the origin's HTTP/2 SETTINGS"
                + " (does it speak HTTP/2" + (upstream.tls() == null ? " with prior knowledge (h2c)" : "") + "?)"));
    }

    private void failWaiting(Throwable cause) {
        Promise<Channel> stream;
        while ((stream = waiting.pollFirst()) != null) {
            streams--;
            stream.tryFailure(cause);
        }
    }
}
