package io.portico.core.tcp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.portico.api.balancer.RequestResult;
import io.portico.core.accesslog.AccessLog;
import io.portico.core.transport.Transport;
import io.portico.core.upstream.Upstream;
import io.portico.core.upstream.UpstreamEndpoint;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One relayed TCP connection: the client's channel, the upstream channel opened for it on the same
 * event loop, and the bytes between them. Confined to that event loop, so it needs no locks.
 */
final class TcpRelay {

    private static final Logger LOG = LoggerFactory.getLogger(TcpRelay.class);
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);

    private final Upstream upstream;
    private final Transport transport;
    private final AccessLog accessLog;
    private final Side client = new Side();
    private final List<UpstreamEndpoint> tried = new ArrayList<>(3);
    private final long startMillis = System.currentTimeMillis();
    private final long startNanos = System.nanoTime();
    private Side origin;
    private UpstreamEndpoint connectedTo;
    /** The access log's status: how the connection went, as nginx's stream module reports it. */
    private int status = 499;

    TcpRelay(Upstream upstream, Transport transport, AccessLog accessLog) {
        this.upstream = upstream;
        this.transport = transport;
        this.accessLog = accessLog;
    }

    /** The handler of the client's channel; it connects upstream once the client is active. */
    ChannelHandler clientHandler() {
        return client;
    }

    private void connect(Channel clientChannel) {
        UpstreamEndpoint endpoint;
        try {
            endpoint = upstream.select(new TcpSelection((InetSocketAddress) clientChannel.remoteAddress(), tried.size()), tried);
        } catch (RuntimeException e) {
            LOG.error("balancer of upstream '{}' failed", upstream.name(), e);
            status = 500;
            clientChannel.close();
            return;
        }
        if (endpoint == null) {
            LOG.warn("upstream '{}' has no endpoint available; closing the connection from {}", upstream.name(),
                    clientChannel.remoteAddress());
            status = 503;
            clientChannel.close();
            return;
        }
        upstream.requestStarted(endpoint);
        long started = System.nanoTime();
        Side candidate = new Side();
        new Bootstrap()
                .group(clientChannel.eventLoop())
                .channelFactory(transport.socketChannelFactory())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                        (int) Math.min(Integer.MAX_VALUE, upstream.config().connectTimeout().toMillis()))
                .handler(candidate)
                .connect(endpoint.address())
                .addListener((ChannelFutureListener) f -> {
                    long latency = System.nanoTime() - started;
                    if (f.isSuccess()) {
                        f.channel().closeFuture().addListener(closed -> upstream.requestEnded(endpoint));
                        report(endpoint, RequestResult.Outcome.RESPONDED, latency);
                        connected(clientChannel, endpoint, candidate);
                    } else {
                        upstream.requestEnded(endpoint);
                        report(endpoint, RequestResult.Outcome.CONNECT_FAILED, latency);
                        connectFailed(clientChannel, endpoint, f.cause());
                    }
                });
    }

    private void connected(Channel clientChannel, UpstreamEndpoint endpoint, Side side) {
        if (!clientChannel.isActive()) {
            side.channel.close();
            return;
        }
        status = 200;
        connectedTo = endpoint;
        origin = side;
        client.peer = origin;
        origin.peer = client;
        client.relayEarlyBytes();
        client.readIfPeerWritable();
        origin.readIfPeerWritable();
    }

    private void connectFailed(Channel clientChannel, UpstreamEndpoint endpoint, Throwable cause) {
        tried.add(endpoint);
        if (!clientChannel.isActive()) {
            return;
        }
        if (tried.size() <= upstream.config().retries().attempts()) {
            LOG.debug("upstream '{}': {} did not accept a connection ({}); trying another endpoint", upstream.name(), endpoint,
                    cause.getMessage());
            connect(clientChannel);
        } else {
            LOG.warn("upstream '{}': no endpoint accepted the connection from {} after {} attempts (last: {}: {})",
                    upstream.name(), clientChannel.remoteAddress(), tried.size(), endpoint, cause.getMessage());
            status = 502;
            clientChannel.close();
        }
    }

    private void report(UpstreamEndpoint endpoint, RequestResult.Outcome outcome, long latencyNanos) {
        try {
            upstream.report(endpoint, new RequestResult(outcome, 0, latencyNanos));
        } catch (RuntimeException failure) {
            LOG.warn("balancer of upstream '{}' failed to take a result", upstream.name(), failure);
        }
    }

    private void logConnection() {
        if (!accessLog.enabled()) {
            return;
        }
        UpstreamEndpoint last = connectedTo != null ? connectedTo : tried.isEmpty() ? null : tried.getLast();
        accessLog.log(new AccessLog.Connection(startMillis, hostAndPort(client.channel.remoteAddress()),
                hostAndPort(client.channel.localAddress()), status, client.bytesRead, origin == null ? 0 : origin.bytesRead,
                last == null ? null : last.toString(), System.nanoTime() - startNanos));
    }

    private static String hostAndPort(SocketAddress address) {
        InetSocketAddress inet = (InetSocketAddress) address;
        return inet.getAddress().getHostAddress() + ":" + inet.getPort();
    }

    private void closeBoth() {
        client.channel.close();
        if (origin != null) {
            origin.channel.close();
        }
    }

    /** One side of the relay: what it reads is written to its peer. */
    private final class Side extends ChannelInboundHandlerAdapter {

        private Channel channel;
        /** The other side; {@code null} until the upstream is connected. */
        private Side peer;
        private boolean inputShut;
        private long bytesRead;
        /**
         * Bytes the client sent before the upstream was connected. The client is not read until
         * then, but the epoll transport reads once by itself when the client shuts its output.
         */
        private final List<Object> early = new ArrayList<>(0);

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            channel = ctx.channel();
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (this == client) {
                connect(ctx.channel());
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf bytes) {
                bytesRead += bytes.readableBytes();
            }
            if (peer == null) {
                early.add(msg);
                return;
            }
            peer.channel.write(msg, peer.channel.voidPromise());
        }

        /** Writes upstream what the client sent before the upstream was connected, and its end. */
        void relayEarlyBytes() {
            for (Object msg : early) {
                peer.channel.write(msg, peer.channel.voidPromise());
            }
            early.clear();
            peer.channel.flush();
            if (inputShut) {
                inputEnded();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (peer != null) {
                peer.channel.flush();
                readIfPeerWritable();
            }
        }

        /** Reads more, unless the peer's outbound buffer is full: it resumes this side when it drains. */
        void readIfPeerWritable() {
            if (!inputShut && peer.channel.isWritable()) {
                channel.read();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (peer != null && channel.isWritable()) {
                peer.readIfPeerWritable();
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == ChannelInputShutdownEvent.INSTANCE) {
                inputShut = true;
                if (peer != null) {
                    inputEnded();
                }
            } else if (evt instanceof IdleStateEvent) {
                LOG.debug("closing idle connection from {}", channel.remoteAddress());
                closeBoth();
            } else {
                ctx.fireUserEventTriggered(evt);
            }
        }

        /** This side shut its output: the peer's output is shut too, or both close when the peer's was already. */
        private void inputEnded() {
            if (peer.inputShut) {
                flushAndClose(channel);
                flushAndClose(peer.channel);
            } else {
                // Shut the peer's output only after what was read before the end has been written.
                Channel out = peer.channel;
                out.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> ((DuplexChannel) out).shutdownOutput());
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (this == client) {
                logConnection();
            }
            if (peer != null) {
                flushAndClose(peer.channel);
            } else {
                early.forEach(ReferenceCountUtil::release);
                early.clear();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("tcp relay of upstream '{}' failed on {}", upstream.name(), channel, cause);
            closeBoth();
        }

        private static void flushAndClose(Channel ch) {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
