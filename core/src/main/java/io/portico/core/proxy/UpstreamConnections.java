package io.portico.core.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.FastThreadLocal;
import io.portico.core.config.UpstreamConfig;
import io.portico.core.transport.Transport;
import io.portico.core.upstream.UpstreamEndpoint;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Keep-alive connections to upstream endpoints, pooled per event loop.
 *
 * <p>A client connection and the upstream connections that serve it share one event loop, so a
 * pool is only ever touched by its own thread and needs no locking. Idle connections are kept
 * reading: if the origin closes one, or sends anything unexpected, it leaves the pool at once.
 */
final class UpstreamConnections {

    /** The largest response head accepted from an origin. */
    private static final int MAX_RESPONSE_HEADER_SIZE = 64 * 1024;

    private final Transport transport;
    private final FastThreadLocal<Map<UpstreamEndpoint, ArrayDeque<Channel>>> idle = new FastThreadLocal<>() {
        @Override
        protected Map<UpstreamEndpoint, ArrayDeque<Channel>> initialValue() {
            return new IdentityHashMap<>();
        }
    };

    UpstreamConnections(Transport transport) {
        this.transport = transport;
    }

    /** An idle connection to {@code endpoint} of this thread's pool, or {@code null}. */
    Channel pooled(UpstreamEndpoint endpoint) {
        ArrayDeque<Channel> channels = idle.get().get(endpoint);
        if (channels == null) {
            return null;
        }
        Channel channel;
        while ((channel = channels.pollLast()) != null) {
            if (channel.isActive()) {
                return channel;
            }
        }
        return null;
    }

    /** Opens a new connection to {@code endpoint} on {@code loop}. */
    ChannelFuture connect(EventLoop loop, UpstreamEndpoint endpoint, UpstreamConfig config) {
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channelFactory(transport.socketChannelFactory())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.closeFuture().addListener(f -> forget(endpoint, ch));
                        ch.pipeline().addLast(
                                new HttpClientCodec(new HttpDecoderConfig().setMaxHeaderSize(MAX_RESPONSE_HEADER_SIZE), false, false),
                                new IdleStateHandler(config.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS),
                                new BackendHandler(endpoint));
                    }
                });
        return bootstrap.connect(endpoint.address());
    }

    /**
     * Returns a connection whose last exchange ended cleanly; it is closed instead when the pool
     * for its endpoint is full.
     */
    void release(Channel channel, UpstreamEndpoint endpoint, int maxIdle) {
        channel.pipeline().get(BackendHandler.class).detach();
        if (!channel.isActive()) {
            return;
        }
        ArrayDeque<Channel> channels = idle.get().computeIfAbsent(endpoint, e -> new ArrayDeque<>());
        if (channels.size() >= maxIdle) {
            channel.close();
            return;
        }
        channels.addLast(channel);
        channel.read();
    }

    private void forget(UpstreamEndpoint endpoint, Channel channel) {
        ArrayDeque<Channel> channels = idle.get().get(endpoint);
        if (channels != null) {
            channels.remove(channel);
        }
    }
}
