package io.portico.core.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.handler.codec.http2.HttpConversionUtil.ExtensionHeaderNames;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.PromiseCombiner;
import io.netty.util.concurrent.PromiseNotifier;

/**
 * Turns the frames of one HTTP/2 stream from a client into the HTTP objects an HTTP/1.1 connection
 * yields, and the proxy's HTTP response objects back into frames, so that the {@link ProxyHandler}
 * behind it proxies a stream as it proxies an HTTP/1.1 connection.
 *
 * <h2>Requests</h2>
 *
 * The stream's opening HEADERS frame becomes an {@link HttpRequest} carrying the request's regular
 * headers: {@code :authority} becomes {@code Host} (a {@code host} header that disagrees with it
 * fails the stream), the {@code cookie} headers HTTP/2 lets a client split are joined with
 * {@code "; "}, and a request with a body but no {@code Content-Length} gets
 * {@code Transfer-Encoding: chunked}. Netty's conversion, which this builds on, records the scheme
 * and stream id (and a {@code CONNECT}'s path and protocol) in its own {@code x-http2-*} headers;
 * those are removed, as they must never reach an origin (one would take them for the client's), and
 * those a client sends itself the conversion drops. A request that comes whole (HEADERS with
 * END_STREAM) is handed on as its head and {@link LastHttpContent#EMPTY_LAST_CONTENT}, as the proxy
 * relays a head and its body separately. DATA frames become {@link HttpContent}s (the last a
 * {@link LastHttpContent}), and trailing HEADERS a {@link LastHttpContent} carrying the trailers.
 * Other frames (resets, window updates) pass on untouched.
 *
 * <h2>Responses</h2>
 *
 * A response head becomes a HEADERS frame (connection-specific headers removed), its content DATA
 * frames, and its trailers a HEADERS frame that ends the stream; a {@code 100 Continue} (always a
 * {@link FullHttpResponse}) is a HEADERS frame that leaves it open.
 *
 * <p>A response without a body leaves as a single HEADERS frame that ends the stream. The proxy
 * writes a response's head and its end separately, which would make HEADERS and an empty DATA frame
 * carrying END_STREAM. For most clients that is only a wasted frame, but gRPC answers a failed call
 * with "Trailers-Only" (the {@code grpc-status} in the one HEADERS frame of the response), and a
 * gRPC client reads HEADERS followed by an empty DATA frame as a broken stream ({@code INTERNAL}).
 * So a head is held until the next write, flush or close: an end that follows at once, with no body
 * and no trailers, goes out with it as one frame.
 */
final class Http2StreamCodec extends ChannelDuplexHandler {

    private static final ExtensionHeaderNames[] EXTENSIONS = ExtensionHeaderNames.values();

    private HttpResponse heldHead;
    private ChannelPromise heldPromise;

    // ---- client to proxy ----

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        switch (msg) {
            case Http2HeadersFrame frame -> readHeaders(ctx, frame);
            case Http2DataFrame frame -> ctx.fireChannelRead(frame.isEndStream()
                    ? new DefaultLastHttpContent(frame.content())
                    : new DefaultHttpContent(frame.content()));
            default -> ctx.fireChannelRead(msg);
        }
    }

    private static void readHeaders(ChannelHandlerContext ctx, Http2HeadersFrame frame) {
        Http2Headers headers = frame.headers();
        boolean trailers = frame.isEndStream() && headers.method() == null && headers.status() == null;
        HttpObject converted;
        try {
            converted = trailers ? trailers(streamId(frame), headers) : request(streamId(frame), headers, frame.isEndStream());
        } catch (Exception malformed) {
            // As when Netty's own codec converts: the proxy handler closes (resets) the stream.
            ctx.fireExceptionCaught(malformed);
            return;
        }
        ctx.fireChannelRead(converted);
        if (frame.isEndStream() && !trailers) {
            ctx.fireChannelRead(LastHttpContent.EMPTY_LAST_CONTENT);
        }
    }

    private static HttpRequest request(int streamId, Http2Headers headers, boolean whole) throws Http2Exception {
        HttpRequest request = HttpConversionUtil.toHttpRequest(streamId, headers, true);
        HttpHeaders converted = request.headers();
        for (ExtensionHeaderNames name : EXTENSIONS) {
            converted.remove(name.text());
        }
        if (!whole && !HttpUtil.isContentLengthSet(request)) {
            converted.add(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        return request;
    }

    private static LastHttpContent trailers(int streamId, Http2Headers headers) throws Http2Exception {
        LastHttpContent end = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
        HttpConversionUtil.addHttp2ToHttpHeaders(streamId, headers, end.trailingHeaders(), HttpVersion.HTTP_1_1, true, true);
        return end;
    }

    /** The frame's stream id, 0 outside a stream channel (only named in error messages). */
    private static int streamId(Http2StreamFrame frame) {
        Http2FrameStream stream = frame.stream();
        return stream == null ? 0 : stream.id();
    }

    // ---- proxy to client ----

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (heldHead != null) {
            HttpResponse head = heldHead;
            ChannelPromise headPromise = heldPromise;
            heldHead = null;
            heldPromise = null;
            if (msg instanceof LastHttpContent end && !end.content().isReadable() && end.trailingHeaders().isEmpty()) {
                end.release();
                writeHead(ctx, head, true, both(ctx, headPromise, promise));
                return;
            }
            writeHead(ctx, head, false, headPromise);
        }
        if (!(msg instanceof HttpObject object)) {
            ctx.write(msg, promise);
            return;
        }
        if (object instanceof HttpResponse head && !(object instanceof FullHttpResponse)
                && head.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
            heldHead = head;
            heldPromise = promise;
            return;
        }
        try {
            encode(ctx, object, promise);
        } catch (RuntimeException refused) {
            // Every conversion is done before the first write: nothing of msg has been passed on.
            ReferenceCountUtil.release(object);
            promise.tryFailure(refused instanceof EncoderException ? refused : new EncoderException(refused));
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        writeHeld(ctx);
        ctx.flush();
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        writeHeld(ctx);
        ctx.close(promise);
    }

    private void writeHeld(ChannelHandlerContext ctx) {
        if (heldHead != null) {
            writeHead(ctx, heldHead, false, heldPromise);
            heldHead = null;
            heldPromise = null;
        }
    }

    private static void writeHead(ChannelHandlerContext ctx, HttpResponse head, boolean endStream, ChannelPromise promise) {
        ctx.write(new DefaultHttp2HeadersFrame(http2Headers(head), endStream), promise);
    }

    /** Writes {@code msg} (never a held head) as frames, each DATA frame taking over its content. */
    private static void encode(ChannelHandlerContext ctx, HttpObject msg, ChannelPromise promise) {
        switch (msg) {
            case HttpResponse interim when interim(interim.status()) -> {
                if (!(interim instanceof FullHttpResponse)) {
                    throw new EncoderException(interim.status() + " must be a FullHttpResponse");
                }
                Http2Headers headers = http2Headers(interim);
                ((FullHttpResponse) interim).release();
                ctx.write(new DefaultHttp2HeadersFrame(headers, false), promise);
            }
            case FullHttpResponse whole -> {
                Http2Headers headers = http2Headers(whole);
                Http2Headers trailers = trailersOf(whole);
                boolean body = whole.content().isReadable();
                if (!body) {
                    whole.release();
                }
                DefaultHttp2HeadersFrame head = new DefaultHttp2HeadersFrame(headers, !body && trailers == null);
                if (body && trailers != null) {
                    writeAll(ctx, promise, head, new DefaultHttp2DataFrame(whole.content(), false),
                            new DefaultHttp2HeadersFrame(trailers, true));
                } else if (body) {
                    writeAll(ctx, promise, head, new DefaultHttp2DataFrame(whole.content(), true));
                } else if (trailers != null) {
                    writeAll(ctx, promise, head, new DefaultHttp2HeadersFrame(trailers, true));
                } else {
                    ctx.write(head, promise);
                }
            }
            // Only a 101 gets here (other heads are held): sent as any head would be.
            case HttpResponse head -> ctx.write(new DefaultHttp2HeadersFrame(http2Headers(head), false), promise);
            case LastHttpContent last -> {
                Http2Headers trailers = trailersOf(last);
                if (trailers == null) {
                    ctx.write(new DefaultHttp2DataFrame(last.content(), true), promise);
                } else if (last.content().isReadable()) {
                    writeAll(ctx, promise, new DefaultHttp2DataFrame(last.content(), false), new DefaultHttp2HeadersFrame(trailers, true));
                } else {
                    last.release();
                    ctx.write(new DefaultHttp2HeadersFrame(trailers, true), promise);
                }
            }
            case HttpContent content -> ctx.write(new DefaultHttp2DataFrame(content.content(), false), promise);
            default -> ctx.write(msg, promise);
        }
    }

    /** A 1xx other than 101: a HEADERS frame before the response's own. */
    private static boolean interim(HttpResponseStatus status) {
        return status.codeClass() == HttpStatusClass.INFORMATIONAL && status.code() != HttpResponseStatus.SWITCHING_PROTOCOLS.code();
    }

    private static Http2Headers trailersOf(LastHttpContent last) {
        HttpHeaders trailers = last.trailingHeaders();
        if (trailers.isEmpty()) {
            return null;
        }
        Http2Headers converted = new DefaultHttp2Headers(false, trailers.size());
        HttpConversionUtil.toHttp2Headers(trailers, converted);
        return converted;
    }

    /**
     * A response head as HTTP/2 headers, without checking each name and value again: they were
     * checked when the origin's response was decoded, or when Portico or a filter set them.
     */
    private static Http2Headers http2Headers(HttpResponse head) {
        return HttpConversionUtil.toHttp2Headers(head, false);
    }

    /** Writes frames that stand for one message: {@code promise} completes when all are written. */
    private static void writeAll(ChannelHandlerContext ctx, ChannelPromise promise, Http2StreamFrame... frames) {
        if (promise.isVoid()) {
            for (Http2StreamFrame frame : frames) {
                ctx.write(frame, promise);
            }
            return;
        }
        PromiseCombiner combiner = new PromiseCombiner(ctx.executor());
        for (Http2StreamFrame frame : frames) {
            combiner.add(ctx.write(frame));
        }
        combiner.finish(promise);
    }

    /** A promise for one write that stands for two: each is completed with its outcome. */
    private static ChannelPromise both(ChannelHandlerContext ctx, ChannelPromise first, ChannelPromise second) {
        if (first.isVoid() && second.isVoid()) {
            return ctx.voidPromise();
        }
        ChannelPromise combined = ctx.newPromise();
        combined.addListener(first.isVoid() ? new PromiseNotifier<>(second)
                : second.isVoid() ? new PromiseNotifier<>(first) : new PromiseNotifier<>(first, second));
        return combined;
    }
}
