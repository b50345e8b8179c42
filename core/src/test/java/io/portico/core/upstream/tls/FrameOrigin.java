package io.portico.core.upstream.tls;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * An h2c origin (HTTP/2 with prior knowledge) scripted at the frame level, for what library
 * origins do not do on demand. It answers each request {@code <name> <method> <path> <body
 * length>} with the status {@link #status} gives, after {@link #delayMillis}; the bodies of the
 * answers {@link #endless} picks never end. It refuses with
 * {@code RST_STREAM(REFUSED_STREAM)} the requests {@link #refuseAtHeaders} picks as soon as their
 * headers arrive, and those {@link #refuseWhenRead} picks once their body is read too. With
 * {@link #goAwayAfter} set it shuts each connection down gracefully once that many requests have
 * arrived on it: {@code GOAWAY} whose last stream id is the highest of theirs, sent when the next
 * stream arrives (or a second later), then those (and any below it still arriving) are answered,
 * and the connection is closed; streams above it are ignored, as the GOAWAY said. Every request it answered is kept in {@link #answered}, every one
 * it refused in {@link #refused}.
 */
final class FrameOrigin implements AutoCloseable {

    /** A request as the origin read it. */
    record Request(int connection, int streamId, String method, String path, String userAgent, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final String name;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger openConnections = new AtomicInteger();
    /** How long a GOAWAY waits for a stream above its last one to arrive before it is sent anyway. */
    private static final long GOAWAY_AT_THE_LATEST_MILLIS = 1_000;

    final AtomicInteger goAwaysSent = new AtomicInteger();
    /** Requests that arrived whole above the last stream id of a GOAWAY, and were not answered. */
    final AtomicInteger ignored = new AtomicInteger();
    final Queue<Request> answered = new ConcurrentLinkedQueue<>();
    final Queue<Request> refused = new ConcurrentLinkedQueue<>();
    volatile ToIntFunction<Request> status = request -> 200;
    /** Picks requests whose answer is left unfinished: its body never ends. */
    volatile Predicate<Request> endless = request -> false;
    volatile Predicate<Request> refuseAtHeaders = request -> false;
    volatile Predicate<Request> refuseWhenRead = request -> false;
    volatile int goAwayAfter;
    volatile long delayMillis;

    FrameOrigin(String name) {
        this.name = name;
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        openConnections.incrementAndGet();
                        ch.closeFuture().addListener(f -> openConnections.decrementAndGet());
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forServer()
                                        .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(1000))
                                        .decoupleCloseAndGoAway(true)
                                        .build(),
                                new Connection(connections.incrementAndGet()));
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }

    String address() {
        return "127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** One connection: the requests under way on it, by stream id. */
    private final class Connection extends ChannelInboundHandlerAdapter {
        private final int number;
        private final Map<Integer, Partial> partials = new HashMap<>();
        private int arrived;
        private int pendingAnswers;
        private int highestArrived;
        /** The last stream id of the GOAWAY (sent, or to be sent), or -1. */
        private int lastStreamId = -1;
        private boolean goAwaySent;

        Connection(int number) {
            this.number = number;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                switch (msg) {
                    case Http2HeadersFrame headers -> onHeaders(ctx, headers);
                    case Http2DataFrame data -> onData(ctx, data);
                    default -> {
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void onHeaders(ChannelHandlerContext ctx, Http2HeadersFrame frame) {
            Http2Headers headers = frame.headers();
            CharSequence agent = headers.get("user-agent");
            Partial partial = new Partial(frame.stream(), String.valueOf(headers.method()), String.valueOf(headers.path()),
                    agent == null ? null : agent.toString());
            if (refuseAtHeaders.test(partial.request(number))) {
                refuse(ctx, partial.request(number), frame.stream());
                return;
            }
            partials.put(frame.stream().id(), partial);
            if (frame.isEndStream()) {
                arrivedWhole(ctx, frame.stream());
            }
        }

        private void onData(ChannelHandlerContext ctx, Http2DataFrame frame) {
            // The codec leaves returning flow-control credit to the application.
            ctx.writeAndFlush(new DefaultHttp2WindowUpdateFrame(frame.initialFlowControlledBytes()).stream(frame.stream()));
            Partial partial = partials.get(frame.stream().id());
            if (partial == null) {
                return;
            }
            partial.body.writeBytes(ByteBufUtil.getBytes(frame.content()));
            if (frame.isEndStream()) {
                arrivedWhole(ctx, frame.stream());
            }
        }

        private void arrivedWhole(ChannelHandlerContext ctx, Http2FrameStream stream) {
            Partial partial = partials.remove(stream.id());
            if (lastStreamId >= 0 && stream.id() > lastStreamId) {
                ignored.incrementAndGet();
                sendGoAway(ctx);
                return;
            }
            Request request = partial.request(number);
            if (refuseWhenRead.test(request)) {
                refuse(ctx, request, stream);
                return;
            }
            arrived++;
            pendingAnswers++;
            highestArrived = Math.max(highestArrived, stream.id());
            if (goAwayAfter > 0 && arrived == goAwayAfter) {
                lastStreamId = highestArrived;
                // Announced as soon as a stream above it arrives, so that a test always sees one ignored
                // and sent again elsewhere, however its requests are timed; or after a while without one.
                ctx.executor().schedule(() -> sendGoAway(ctx), GOAWAY_AT_THE_LATEST_MILLIS, TimeUnit.MILLISECONDS);
            }
            ctx.executor().schedule(() -> answer(ctx, request, stream), delayMillis, TimeUnit.MILLISECONDS);
        }

        private void sendGoAway(ChannelHandlerContext ctx) {
            if (goAwaySent || !ctx.channel().isActive()) {
                return;
            }
            goAwaySent = true;
            // Written as a bare frame: Netty's own GOAWAY bookkeeping would turn the DATA of a stream whose
            // HEADERS it ignored into a connection error, failing the streams this GOAWAY promises to finish.
            Http2FrameCodec codec = ctx.pipeline().get(Http2FrameCodec.class);
            codec.encoder().frameWriter().writeGoAway(ctx.pipeline().context(codec), lastStreamId, Http2Error.NO_ERROR.code(),
                    Unpooled.EMPTY_BUFFER, ctx.newPromise());
            ctx.flush();
            goAwaysSent.incrementAndGet();
            closeIfDone(ctx);
        }

        private void refuse(ChannelHandlerContext ctx, Request request, Http2FrameStream stream) {
            refused.add(request);
            ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.REFUSED_STREAM).stream(stream));
        }

        private void answer(ChannelHandlerContext ctx, Request request, Http2FrameStream stream) {
            answered.add(request);
            byte[] body = (name + " " + request.method() + " " + request.path() + " " + request.body().length)
                    .getBytes(StandardCharsets.UTF_8);
            boolean ends = !endless.test(request);
            Http2Headers headers = new DefaultHttp2Headers().status(String.valueOf(status.applyAsInt(request)));
            if (ends) {
                headers.setInt("content-length", body.length);
            }
            ctx.write(new DefaultHttp2HeadersFrame(headers).stream(stream));
            ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(body), ends).stream(stream));
            pendingAnswers--;
            closeIfDone(ctx);
        }

        /** After the GOAWAY, once every stream it promised is answered. */
        private void closeIfDone(ChannelHandlerContext ctx) {
            if (goAwaySent && pendingAnswers == 0 && partials.keySet().stream().allMatch(id -> id > lastStreamId)) {
                // A lingering close, as servers do: closing outright with requests unread would reset the
                // connection, and the client could lose the answers and the GOAWAY still in its buffers.
                ((SocketChannel) ctx.channel()).shutdownOutput();
            }
        }
    }

    /** A request whose head has arrived, and the part of its body read so far. */
    private static final class Partial {
        final Http2FrameStream stream;
        final String method;
        final String path;
        final String userAgent;
        final ByteArrayOutputStream body = new ByteArrayOutputStream();

        Partial(Http2FrameStream stream, String method, String path, String userAgent) {
            this.stream = stream;
            this.method = method;
            this.path = path;
            this.userAgent = userAgent;
        }

        Request request(int connection) {
            return new Request(connection, stream.id(), method, path, userAgent, body.toByteArray());
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }
}
