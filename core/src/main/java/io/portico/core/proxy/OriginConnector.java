package io.portico.core.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.portico.core.transport.Transport;
import io.portico.core.upstream.Upstream;
import io.portico.core.upstream.UpstreamEndpoint;
import io.portico.core.upstream.UpstreamTls;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * Opens connections to origins: TCP, then for an upstream with {@code tls} the handshake, which
 * must succeed (certificate verified, protocol agreed) before the connection is handed out.
 */
final class OriginConnector {

    private final Transport transport;

    OriginConnector(Transport transport) {
        this.transport = transport;
    }

    /**
     * Connects to {@code endpoint} on {@code loop}.
     *
     * @param autoRead whether the connection reads by itself (HTTP/2) or only when asked (HTTP/1.1)
     * @param protocol adds the handlers above TLS to a new connection's pipeline
     * @return completes with the connection once it can carry requests; fails with a
     *     {@link TlsHandshakeFailure} when the TLS handshake fails
     */
    Future<Channel> open(EventLoop loop, UpstreamEndpoint endpoint, Upstream upstream, boolean autoRead,
            Consumer<Channel> protocol) {
        UpstreamTls tls = upstream.tls();
        long connectMillis = Math.min(Integer.MAX_VALUE, upstream.config().connectTimeout().toMillis());
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channelFactory(transport.socketChannelFactory())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.AUTO_READ, autoRead)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectMillis)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (tls != null) {
                            SslHandler ssl = tls.newHandler(ch.alloc(), endpoint);
                            ssl.setHandshakeTimeoutMillis(connectMillis);
                            ch.pipeline().addLast(ssl);
                        }
                        protocol.accept(ch);
                    }
                });
        Promise<Channel> ready = loop.newPromise();
        bootstrap.connect(endpoint.address()).addListener((ChannelFuture connected) -> {
            Channel ch = connected.channel();
            if (!connected.isSuccess()) {
                ready.tryFailure(connected.cause());
            } else if (tls == null) {
                ready.trySuccess(ch);
            } else {
                SslHandler ssl = ch.pipeline().get(SslHandler.class);
                ssl.handshakeFuture().addListener(handshake -> {
                    try {
                        if (!handshake.isSuccess()) {
                            throw handshake.cause();
                        }
                        tls.checkNegotiated(ssl);
                        ready.trySuccess(ch);
                    } catch (Throwable failure) {
                        ch.close();
                        ready.tryFailure(new TlsHandshakeFailure(endpoint, tls.serverName(endpoint), failure));
                    }
                });
            }
        });
        return ready;
    }

    /** A TLS handshake with an origin failed: untrusted or misnamed certificate, no common protocol. */
    static final class TlsHandshakeFailure extends SSLException {

        TlsHandshakeFailure(UpstreamEndpoint endpoint, String serverName, Throwable cause) {
            super("TLS handshake with " + endpoint.id() + (serverName == null ? "" : " (server name '" + serverName + "')")
                    + " failed: " + rootMessage(cause), cause);
        }

        private static String rootMessage(Throwable cause) {
            Throwable root = cause;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String message = root.getMessage();
            return message == null ? root.getClass().getSimpleName() : message;
        }
    }
}
