package io.portico.core.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A raw HTTP/2 client with prior knowledge, built on Netty's frame codec: sends requests on
 * streams of its one connection, resets streams on demand, and reports the server's GOAWAY.
 */
final class H2Client implements AutoCloseable {

    private final EventLoopGroup group;
    private final Channel channel;
    private final CompletableFuture<Long> goAway = new CompletableFuture<>();
    private final String authority;

    private H2Client(EventLoopGroup group, int port) throws InterruptedException {
        this.group = group;
        this.authority = "127.0.0.1:" + port;
        this.channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(), new GoAwayWatch(),
                                new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                    }
                })
                .connect("127.0.0.1", port).sync().channel();
    }

    /** Connects to {@code 127.0.0.1:port}. */
    static H2Client connect(int port) throws InterruptedException {
        return new H2Client(new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()), port);
    }

    /** Sends {@code GET path}; completes with {@code "<status> <body>"}. */
    CompletableFuture<String> get(String path) throws InterruptedException {
        CompletableFuture<String> response = new CompletableFuture<>();
        Http2StreamChannel stream = new Http2StreamChannelBootstrap(channel).handler(new ResponseReader(response)).open().sync().getNow();
        stream.writeAndFlush(new DefaultHttp2HeadersFrame(request(path), true));
        return response;
    }

    /**
     * Sends the head of {@code POST path} and the first bytes of its body, then nothing more;
     * completes with {@code "<status> <body>"} if the server answers.
     */
    CompletableFuture<String> postStalled(String path, String firstBytes) throws InterruptedException {
        CompletableFuture<String> response = new CompletableFuture<>();
        Http2StreamChannel stream = new Http2StreamChannelBootstrap(channel).handler(new ResponseReader(response)).open().sync().getNow();
        stream.write(new DefaultHttp2HeadersFrame(request(path).method("POST"), false));
        stream.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.copiedBuffer(firstBytes, StandardCharsets.UTF_8), false));
        return response;
    }

    /**
     * Opens streams with a whole request and cancels each at once (the "rapid reset" pattern),
     * up to {@code count} times or until the connection closes.
     *
     * @return how many it opened and reset
     */
    int openAndReset(int count) throws InterruptedException {
        int sent = 0;
        while (sent < count && channel.isActive()) {
            var opening = new Http2StreamChannelBootstrap(channel).handler(new ChannelInboundHandlerAdapter()).open().await();
            if (!opening.isSuccess()) {
                break;
            }
            Http2StreamChannel stream = opening.getNow();
            // Without END_STREAM: the stream stays open whatever the server does, so closing it
            // always sends RST_STREAM (an answered stream would close without one).
            stream.writeAndFlush(new DefaultHttp2HeadersFrame(request("/reset-" + sent), false)).await();
            stream.close().await(); // RST_STREAM (CANCEL)
            sent++;
        }
        return sent;
    }

    /** Completes with the error code of the first GOAWAY the server sends. */
    CompletableFuture<Long> goAway() {
        return goAway;
    }

    /** Whether the connection is closed. */
    boolean closed() {
        return !channel.isActive();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly();
    }

    private Http2Headers request(String path) {
        return new DefaultHttp2Headers().method("GET").path(path).scheme("http").authority(authority);
    }

    private final class GoAwayWatch extends ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A server that closes after its GOAWAY may reset writes still under way.
            ctx.close();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2GoAwayFrame frame) {
                goAway.complete(frame.errorCode());
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** Collects one stream's response. */
    private static final class ResponseReader extends ChannelInboundHandlerAdapter {
        private final CompletableFuture<String> response;
        private final StringBuilder text = new StringBuilder();

        ResponseReader(CompletableFuture<String> response) {
            this.response = response;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof Http2HeadersFrame headers && headers.headers().status() != null) {
                    text.append(headers.headers().status()).append(' ');
                } else if (msg instanceof Http2DataFrame data) {
                    ByteBuf content = data.content();
                    text.append(content.toString(StandardCharsets.UTF_8));
                }
                if (msg instanceof Http2StreamFrame frame && endOfStream(frame)) {
                    response.complete(text.toString());
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private static boolean endOfStream(Http2StreamFrame frame) {
            return frame instanceof Http2HeadersFrame h ? h.isEndStream() : frame instanceof Http2DataFrame d && d.isEndStream();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            response.completeExceptionally(new IllegalStateException("stream closed before its response ended: " + text));
        }
    }
}
