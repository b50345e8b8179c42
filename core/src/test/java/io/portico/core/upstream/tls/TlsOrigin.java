package io.portico.core.upstream.tls;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.Mapping;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An origin for upstream TLS and HTTP/2 tests: HTTPS with a given certificate (optionally
 * requiring a client certificate), or plain; HTTP/1.1, HTTP/2 negotiated with ALPN, or h2c with
 * prior knowledge. It records the SNI names it was sent, counts the connections it accepted, and
 * answers every request {@code <protocol> <path>}, after {@code delay} milliseconds; the path
 * {@code /trailers} is answered with a streamed body and the trailer {@code grpc-status: 0}.
 */
final class TlsOrigin implements AutoCloseable {

    /** What the origin speaks. */
    enum Protocol { HTTP1, H2, H2C }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    final AtomicInteger connections = new AtomicInteger();
    final Queue<String> sniNames = new ConcurrentLinkedQueue<>();
    final Queue<String> protocols = new ConcurrentLinkedQueue<>();

    private TlsOrigin(SslContext tls, Protocol protocol, int maxStreams, long delayMillis) {
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.incrementAndGet();
                        ChannelPipeline p = ch.pipeline();
                        if (tls != null) {
                            p.addLast(new SniHandler((Mapping<String, SslContext>) name -> {
                                sniNames.add(name == null ? "(none)" : name);
                                return tls;
                            }));
                            p.addLast(new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
                                @Override
                                protected void configurePipeline(ChannelHandlerContext ctx, String selected) {
                                    if (selected.equals(ApplicationProtocolNames.HTTP_2)) {
                                        h2(ctx.pipeline(), maxStreams, delayMillis);
                                    } else {
                                        http1(ctx.pipeline(), delayMillis);
                                    }
                                }
                            });
                        } else if (protocol == Protocol.H2C) {
                            h2(p, maxStreams, delayMillis);
                        } else {
                            http1(p, delayMillis);
                        }
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }

    /** An HTTPS origin with {@code cert}; {@code clientCa}, when not null, is required to have signed a client certificate. */
    static TlsOrigin https(Path cert, Path key, Path clientCa, Protocol protocol, int maxStreams, long delayMillis) throws Exception {
        SslContextBuilder builder = SslContextBuilder.forServer(cert.toFile(), key.toFile()).sslProvider(SslProvider.JDK);
        if (clientCa != null) {
            builder.trustManager(clientCa.toFile()).clientAuth(ClientAuth.REQUIRE);
        }
        List<String> alpn = protocol == Protocol.H2 ? List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1)
                : List.of(ApplicationProtocolNames.HTTP_1_1);
        builder.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpn));
        return new TlsOrigin(builder.build(), protocol, maxStreams, delayMillis);
    }

    /** A plain origin: HTTP/1.1, or h2c with prior knowledge. */
    static TlsOrigin plain(Protocol protocol, int maxStreams, long delayMillis) {
        return new TlsOrigin(null, protocol, maxStreams, delayMillis);
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    String address() {
        return "127.0.0.1:" + port();
    }

    private void http1(ChannelPipeline p, long delayMillis) {
        p.addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Responder("HTTP/1.1", delayMillis));
    }

    private void h2(ChannelPipeline p, int maxStreams, long delayMillis) {
        p.addLast(Http2FrameCodecBuilder.forServer()
                        .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(maxStreams)).build(),
                new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                    @Override
                    protected void initChannel(Http2StreamChannel ch) {
                        ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true), new HttpObjectAggregator(1 << 20),
                                new Responder("HTTP/2", delayMillis));
                    }
                }));
    }

    private final class Responder extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final String protocol;
        private final long delayMillis;

        Responder(String protocol, long delayMillis) {
            this.protocol = protocol;
            this.delayMillis = delayMillis;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            protocols.add(protocol);
            String path = request.uri();
            ctx.executor().schedule(() -> respond(ctx, path), delayMillis, TimeUnit.MILLISECONDS);
        }

        private void respond(ChannelHandlerContext ctx, String path) {
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            byte[] body = (protocol + " " + path).getBytes(StandardCharsets.UTF_8);
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
            if (path.equals("/trailers")) {
                head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
                ctx.write(head);
                ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(body)));
                LastHttpContent last = new DefaultLastHttpContent();
                last.trailingHeaders().set("grpc-status", "0").set("grpc-message", "fine");
                ctx.writeAndFlush(last);
            } else {
                head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
                ctx.write(head);
                ctx.writeAndFlush(new DefaultLastHttpContent(Unpooled.wrappedBuffer(body)));
            }
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }
}
