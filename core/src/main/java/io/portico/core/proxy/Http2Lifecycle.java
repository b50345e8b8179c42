package io.portico.core.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2LocalFlowController;
import io.netty.handler.codec.http2.Http2SettingsAckFrame;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of an HTTP/2 client connection beyond its streams, last in its pipeline:
 *
 * <ul>
 *   <li>on start, grows the connection's flow-control window to {@code connection-window-size};
 *   <li>when the client acknowledges Portico's {@code SETTINGS}, reopens the stream windows that
 *       the acknowledgement left exhausted (see {@link #reopenExhaustedStreamWindows});
 *   <li>a connection with no stream open for the idle timeout is closed: {@code GOAWAY}, then the
 *       socket (this also bounds a client that never completes a request's headers);
 *   <li>when the server drains, {@code GOAWAY} tells the client to open no more streams, the
 *       streams open finish, then the connection closes.
 * </ul>
 *
 * <p>Both closes go through the codec's graceful close, which sends the {@code GOAWAY} naming the
 * last stream it took and closes once no stream is open.
 */
final class Http2Lifecycle extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(Http2Lifecycle.class);

    private final Http2Connection connection;
    private final long idleTimeoutNanos;
    private final int connectionWindowIncrement;
    private final Runnable check = this::check;
    private ChannelHandlerContext ctx;
    private long idleSinceNanos;
    private ScheduledFuture<?> timer;
    private boolean settingsAcknowledged;

    /**
     * @param connection the codec's connection, whose open streams are watched
     * @param connectionWindowIncrement how much to grow the connection's window by at the start
     */
    Http2Lifecycle(Http2Connection connection, long idleTimeoutMillis, int connectionWindowIncrement) {
        this.connection = connection;
        this.idleTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMillis);
        this.connectionWindowIncrement = connectionWindowIncrement;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (connectionWindowIncrement > 0) {
            // A WINDOW_UPDATE without a stream is the connection's; the codec has sent its SETTINGS already.
            ctx.writeAndFlush(new DefaultHttp2WindowUpdateFrame(connectionWindowIncrement));
        }
        connection.addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamClosed(Http2Stream stream) {
                if (connection.numActiveStreams() == 0) {
                    becameIdle();
                }
            }
        });
        becameIdle();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Http2Exception {
        // Portico sends SETTINGS once, first thing: only their acknowledgement changes windows, and
        // a client repeating it must not buy a pass over the streams with every 9-byte frame.
        if (msg instanceof Http2SettingsAckFrame && !settingsAcknowledged) {
            settingsAcknowledged = true;
            reopenExhaustedStreamWindows();
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * Sends the {@code WINDOW_UPDATE} of every stream whose window the client's acknowledgement of
     * our {@code SETTINGS} left exhausted.
     *
     * <p>A client may send a stream's first {@code DATA} at the default window (64 KiB) before it
     * has read our {@code SETTINGS}. If {@code initial-window-size} is smaller, its acknowledgement
     * shrinks the windows of the streams open by the difference, and a stream whose bytes were all
     * read by then is left at or below zero with nothing more to read. Netty's flow controller
     * checks whether a window needs an update only when bytes are consumed, so without this the
     * client waits for an update that never comes (nghttp2 fixed the same stall in its own flow
     * control, nghttp2#1680). Growing the window by nothing makes it check.
     */
    private void reopenExhaustedStreamWindows() throws Http2Exception {
        Http2LocalFlowController flowController = connection.local().flowController();
        connection.forEachActiveStream(stream -> {
            flowController.incrementWindowSize(stream, 0);
            return true;
        });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ProxyHandler.Drain.INSTANCE) {
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("HTTP/2 client connection {} failed", ctx.channel().remoteAddress(), cause);
        // The codec answers HTTP/2 errors itself, after showing them here: a GOAWAY with their code
        // (ENHANCE_YOUR_CALM for a reset flood), which a graceful close now would pre-empt.
        if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) == null) {
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        ctx.fireChannelInactive();
    }

    private void becameIdle() {
        idleSinceNanos = System.nanoTime();
        if (timer == null && ctx.channel().isActive()) {
            timer = ctx.executor().schedule(check, idleTimeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** One timer at a time: a busy connection re-arms it only when its last stream closes. */
    private void check() {
        timer = null;
        if (!ctx.channel().isActive() || connection.numActiveStreams() > 0) {
            return;
        }
        long idleFor = System.nanoTime() - idleSinceNanos;
        if (idleFor >= idleTimeoutNanos) {
            ctx.close();
        } else {
            timer = ctx.executor().schedule(check, idleTimeoutNanos - idleFor, TimeUnit.NANOSECONDS);
        }
    }
}
