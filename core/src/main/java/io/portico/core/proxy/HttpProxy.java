package io.portico.core.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.portico.core.accesslog.AccessLog;
import io.portico.core.config.ListenerConfig;
import io.portico.core.config.ServerConfig;
import io.portico.core.runtime.ProxyRuntime;
import io.portico.core.tls.ListenerTls;
import io.portico.core.transport.Transport;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP reverse proxy: sets up each client connection and holds what its connections share
 * (the current {@link ProxyRuntime}, the upstream connection pools, the access log).
 *
 * <p>The pipeline of a client connection:
 *
 * <pre>
 *  socket
 *    |  SniHandler        on TLS listeners: picks the certificate, then becomes the SslHandler
 *    |  AlpnSwitch        on TLS listeners with HTTP/2: after the handshake, to HTTP/2 if ALPN chose h2
 *    |  ClientTimeouts    idle, header and body clocks (sees raw bytes)
 *    |  PriorKnowledge    on plain listeners with HTTP/2: to HTTP/2 if the first bytes are its preface
 *    |  ServerCodec       HTTP/1.1 decoding with size limits; refuses ambiguous framing
 *    |  ResponseCompressor  gzip or Brotli; added by the first response of a route that compresses
 *    v  ProxyHandler      one exchange at a time: route, filters, upstream, relay
 * </pre>
 *
 * <p>The two switches leave the pipeline once the protocol is known; for HTTP/2,
 * {@link Http2Server} replaces the handlers below them with an HTTP/2 codec and one child channel
 * per stream, each with its own {@code ProxyHandler}.
 *
 * <p>Reads are driven by hand ({@code autoRead} off): the next bytes are read from a client only
 * when its upstream can take them, and from an upstream only when its client can; so bodies
 * stream with bounded memory, whatever their size.
 */
public final class HttpProxy {

    private final UpstreamConnections connections;
    private final ChannelGroup clients = new DefaultChannelGroup("portico-clients", GlobalEventExecutor.INSTANCE);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger tunnels = new AtomicInteger();
    private volatile ProxyRuntime runtime;
    private volatile AccessLog accessLog;
    private volatile boolean draining;

    /**
     * @param runtime the compiled configuration to serve
     * @param transport the transport, for connections to upstreams
     */
    public HttpProxy(ProxyRuntime runtime, Transport transport) {
        this.connections = new UpstreamConnections(transport);
        update(runtime);
    }

    /** Serves {@code next} from now on; exchanges already under way finish with the old one. */
    public void update(ProxyRuntime next) {
        this.runtime = next;
        this.accessLog = new AccessLog(next.config().accessLog().enabled());
    }

    /** The configuration being served. */
    public ProxyRuntime runtime() {
        return runtime;
    }

    /**
     * The initializer of each client connection accepted by {@code listener}.
     *
     * @param tls the listener's TLS, or {@code null} for plain HTTP
     */
    public ChannelInitializer<Channel> initializer(ListenerConfig listener, ListenerTls tls) {
        ListenerPolicy policy = ListenerPolicy.of(listener);
        Http2Server http2 = new Http2Server(this, policy);
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ServerConfig server = runtime.config().server();
                HttpDecoderConfig decoder = new HttpDecoderConfig()
                        .setMaxInitialLineLength(server.maxInitialLineLength().toIntSaturated())
                        .setMaxHeaderSize(server.maxHeaderSize().toIntSaturated())
                        .setMaxChunkSize(16 * 1024);
                clients.add(ch);
                ChannelPipeline pipeline = ch.pipeline();
                if (tls != null) {
                    pipeline.addLast(tls.newHandler(server.headerTimeout().toMillis()));
                    if (server.http2().enabled()) {
                        pipeline.addLast(new AlpnSwitch(http2));
                    }
                }
                pipeline.addLast(new ClientTimeouts(server.headerTimeout().toMillis(), server.idleTimeout().toMillis()));
                if (tls == null && server.http2().cleartextOn()) {
                    pipeline.addLast(new PriorKnowledge(http2));
                }
                pipeline.addLast(
                        new ServerCodec(decoder),
                        new ProxyHandler(HttpProxy.this, policy, false));
            }
        };
    }

    /**
     * Starts a graceful shutdown: idle connections close now, busy HTTP/1.1 ones after their
     * current response (which says {@code Connection: close}); HTTP/2 ones get {@code GOAWAY} and
     * close once the streams they have open are answered.
     */
    public void drain() {
        draining = true;
        for (Channel ch : clients) {
            ch.eventLoop().execute(() -> ch.pipeline().fireUserEventTriggered(ProxyHandler.Drain.INSTANCE));
        }
    }

    /** Requests under way now. */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Connections switched to another protocol (WebSockets) and open now. A drain leaves them
     * be: they end when either side closes them, or at the shutdown deadline.
     */
    public int openTunnels() {
        return tunnels.get();
    }

    /** Closes every client connection at once. */
    public void closeAll() {
        clients.close();
    }

    boolean draining() {
        return draining;
    }

    UpstreamConnections connections() {
        return connections;
    }

    AccessLog accessLog() {
        return accessLog;
    }

    AtomicInteger inFlightCounter() {
        return inFlight;
    }

    /** Counts {@code client} among the open tunnels until it closes. */
    void tunnelOpened(Channel client) {
        tunnels.incrementAndGet();
        client.closeFuture().addListener(f -> tunnels.decrementAndGet());
    }
}
