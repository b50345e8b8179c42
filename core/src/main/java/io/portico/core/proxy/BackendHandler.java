package io.portico.core.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.portico.core.upstream.UpstreamEndpoint;

/**
 * The last handler of an upstream connection: hands what arrives to the exchange it serves, or,
 * while the connection idles in the pool, closes it on anything unexpected.
 *
 * <pre>
 * upstream socket -&gt; [SslHandler] -&gt; HttpClientCodec -&gt; IdleStateHandler -&gt; BackendHandler -&gt; UpstreamListener
 * </pre>
 *
 * <p>On an HTTP/2 upstream it ends each stream's pipeline instead, behind the
 * {@link Http2StreamAdapter} (see {@link Http2Origin}); a stream serves one exchange.
 */
final class BackendHandler extends ChannelInboundHandlerAdapter {

    final UpstreamEndpoint endpoint;
    private UpstreamListener listener;
    private Throwable failure;

    BackendHandler(UpstreamEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** Hands the connection to an exchange. */
    void attach(UpstreamListener listener) {
        this.listener = listener;
    }

    /** Takes the connection back from its exchange (to the pool, or to close it). */
    void detach() {
        this.listener = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        UpstreamListener l = listener;
        if (l != null && msg instanceof HttpObject http) {
            l.onUpstreamMessage(http);
        } else {
            // Bytes from an idle pooled connection: the origin is confused; don't reuse it.
            ReferenceCountUtil.release(msg);
            ctx.close();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        UpstreamListener l = listener;
        if (l != null) {
            l.onUpstreamReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        UpstreamListener l = listener;
        if (l != null && ctx.channel().isWritable()) {
            l.onUpstreamWritable();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            UpstreamListener l = listener;
            if (l == null) {
                ctx.close();
            } else {
                l.onUpstreamIdle();
            }
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // The first failure says why: writes into the closing connection fail too, before it is inactive.
        if (failure == null) {
            failure = cause;
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        UpstreamListener l = listener;
        listener = null;
        if (l != null) {
            l.onUpstreamClosed(failure);
        }
    }
}
