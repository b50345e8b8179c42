package io.portico.core.proxy;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import io.portico.core.config.UpstreamConfig;
import io.portico.core.transport.Transport;
import io.portico.core.upstream.Upstream;
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
 *
 * <p>HTTP/2 upstreams are not pooled here: each request is a stream on a connection that
 * {@link Http2Origins} shares between the requests of its event loop.
 */
final class UpstreamConnections {

    /** The largest response head accepted from an origin. */
    private static final int MAX_RESPONSE_HEADER_SIZE = 64 * 1024;

    private final OriginConnector connector;
    private final Http2Origins h2;
    private final FastThreadLocal<Map<UpstreamEndpoint, ArrayDeque<Channel>>> idle = new FastThreadLocal<>() {
        @Override
        protected Map<UpstreamEndpoint, ArrayDeque<Channel>> initialValue() {
            return new IdentityHashMap<>();
        }
    };

    UpstreamConnections(Transport transport) {
        this.connector = new OriginConnector(transport);
        this.h2 = new Http2Origins(connector);
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

    /**
     * Opens a way to send one request to {@code endpoint} on {@code loop}: a new HTTP/1.1
     * connection, or for an HTTP/2 upstream a new stream on one of the shared connections. Both
     * carry {@link io.netty.handler.codec.http.HttpObject}s and end in a {@link BackendHandler}.
     *
     * @return completes when the request can be written (TLS handshake done)
     */
    Future<Channel> connect(EventLoop loop, UpstreamEndpoint endpoint, Upstream upstream) {
        if (upstream.config().protocol() == UpstreamConfig.Protocol.H2) {
            return h2.openStream(loop, endpoint, upstream);
        }
        UpstreamConfig config = upstream.config();
        return connector.open(loop, endpoint, upstream, false, ch -> {
            ch.closeFuture().addListener(f -> forget(endpoint, ch));
            ch.pipeline().addLast(
                    new HttpClientCodec(new HttpDecoderConfig().setMaxHeaderSize(MAX_RESPONSE_HEADER_SIZE), false, false),
                    new IdleStateHandler(config.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS),
                    new BackendHandler(endpoint));
        });
    }

    /**
     * Returns a connection whose last exchange ended cleanly; it is closed instead when the pool
     * for its endpoint is full.
     */
    void release(Channel channel, UpstreamEndpoint endpoint, int maxIdle) {
        channel.pipeline().get(BackendHandler.class).detach();
        if (channel instanceof Http2StreamChannel) {
            // A stream carries one exchange; its connection stays with the other streams.
            channel.close();
            return;
        }
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
