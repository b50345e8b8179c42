package io.portico.core.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client connection and an upstream connection joined after a protocol switch (a WebSocket's
 * 101): from then on their bytes are relayed as they are, each way, with the same back-pressure
 * as HTTP bodies (a side is read only while its peer can take more), until either side closes or
 * both stay silent for the idle timeout. Both channels share one event loop.
 */
final class Tunnel {

    private static final Logger LOG = LoggerFactory.getLogger(Tunnel.class);

    private Tunnel() {
    }

    /**
     * Joins {@code client} and {@code upstream}, whose HTTP handlers the caller removes right
     * after: bytes their decoders still hold reach the relay.
     *
     * @param idleMillis how long both directions may stay silent before both connections close
     */
    static void join(Channel client, Channel upstream, long idleMillis) {
        Side clientSide = new Side(client);
        Side upstreamSide = new Side(upstream);
        clientSide.peer = upstreamSide;
        upstreamSide.peer = clientSide;
        client.pipeline().addLast("tunnel", clientSide);
        upstream.pipeline().addLast("tunnel-idle", new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS));
        upstream.pipeline().addLast("tunnel", upstreamSide);
    }

    /** Starts reading both sides; call once the HTTP handlers are gone. */
    static void start(Channel client, Channel upstream) {
        ((Side) client.pipeline().get("tunnel")).readIfPeerWritable();
        ((Side) upstream.pipeline().get("tunnel")).readIfPeerWritable();
    }

    /** One side: what it reads is written to its peer. */
    private static final class Side extends ChannelInboundHandlerAdapter {

        private final Channel channel;
        private Side peer;

        Side(Channel channel) {
            this.channel = channel;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf bytes) {
                peer.channel.write(bytes, peer.channel.voidPromise());
            } else {
                // The end-of-message markers of the HTTP decoders just removed.
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            peer.channel.flush();
            readIfPeerWritable();
        }

        void readIfPeerWritable() {
            if (peer.channel.isWritable()) {
                channel.read();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (channel.isWritable()) {
                peer.readIfPeerWritable();
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent) {
                LOG.debug("closing idle tunnel {} <-> {}", channel, peer.channel);
                channel.close();
                peer.channel.close();
            } else {
                ReferenceCountUtil.release(evt);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            peer.channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("tunnel connection {} failed", channel, cause);
            channel.close();
            peer.channel.close();
        }
    }
}
