package io.portico.core.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.HttpConversionUtil;
import java.io.IOException;

/**
 * Makes an HTTP/2 stream look like an HTTP/1.1 connection to the {@link BackendHandler} and the
 * exchange it serves: the head of a response is always a plain {@link HttpResponse} followed by
 * its content (Netty's codec makes a response that ends in its headers one
 * {@link FullHttpResponse}), without the {@code x-http2-*} headers the conversion adds; and a
 * stream the origin refused or reset fails with a cause that says so.
 *
 * <p>Until the response head arrives it also keeps what it wrote of the request body, up to
 * {@link #RESEND_LIMIT} bytes (without copying: the buffers are shared), so that a request the
 * origin turns out not to have processed can be sent again whole on another stream
 * ({@link #takeSentBody()}), though its body was streamed from the client and is gone.
 */
final class Http2StreamAdapter extends ChannelDuplexHandler {

    /**
     * The most of a request body kept for sending again: the initial HTTP/2 flow-control window. An
     * origin that refuses a stream normally does so before it has granted more.
     */
    static final int RESEND_LIMIT = 65_535;

    private static final HttpConversionUtil.ExtensionHeaderNames[] EXTENSION_HEADERS =
            HttpConversionUtil.ExtensionHeaderNames.values();

    /**
     * The origin did not process the request: it was on a stream above a {@code GOAWAY}'s last
     * stream id, or refused with {@code REFUSED_STREAM}. Sending it again is safe, whatever its method.
     */
    static final class UnprocessedRequest extends IOException {
        private final boolean goAway;

        UnprocessedRequest(boolean goAway) {
            super(goAway ? "the origin is going away (GOAWAY) and did not process the request"
                    : "the origin refused the stream (REFUSED_STREAM)");
            this.goAway = goAway;
        }

        /** Whether the origin is shutting the connection down gracefully, rather than refusing this one stream. */
        boolean goAway() {
            return goAway;
        }
    }

    /** Whether the request body written so far is kept, to be sent again if need be. */
    private boolean keeping = true;
    /** The body kept; {@code null} while it is empty. */
    private CompositeByteBuf sent;
    private HttpHeaders sentTrailers;
    private boolean sentLast;
    private boolean responded;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (keeping && msg instanceof HttpContent content) {
            keep(content);
        }
        ctx.write(msg, promise);
    }

    private void keep(HttpContent content) {
        int bytes = content.content().readableBytes();
        if (bytes > 0) {
            if ((sent == null ? 0 : sent.readableBytes()) + bytes > RESEND_LIMIT) {
                forgetSent();
                return;
            }
            if (sent == null) {
                sent = content.content().alloc().compositeBuffer(Integer.MAX_VALUE);
            }
            sent.addComponent(true, content.content().retainedDuplicate());
        }
        if (content instanceof LastHttpContent last) {
            sentLast = true;
            if (!last.trailingHeaders().isEmpty()) {
                sentTrailers = last.trailingHeaders().copy();
            }
        }
    }

    /**
     * The request body written on this stream, to be written on another: a {@link LastHttpContent}
     * when the whole body was, with its trailers; {@code null} when more than {@link #RESEND_LIMIT}
     * was written or the response has begun. The caller owns it.
     */
    HttpContent takeSentBody() {
        if (!keeping) {
            return null;
        }
        keeping = false;
        ByteBuf body = sent == null ? Unpooled.EMPTY_BUFFER : sent;
        sent = null;
        if (!sentLast) {
            return new DefaultHttpContent(body);
        }
        return sentTrailers == null ? new DefaultLastHttpContent(body) : new DefaultLastHttpContent(body, sentTrailers);
    }

    private void forgetSent() {
        keeping = false;
        if (sent != null) {
            sent.release();
            sent = null;
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        forgetSent();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpResponse response && response.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
            // The origin is answering: it processed the request, which will not be sent again.
            responded = true;
            forgetSent();
        }
        if (msg instanceof FullHttpResponse full) {
            HttpResponse head = new DefaultHttpResponse(full.protocolVersion(), full.status(), stripExtensions(full.headers()));
            ctx.fireChannelRead(head);
            if (full.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                full.release();
            } else {
                ctx.fireChannelRead(new DefaultLastHttpContent(full.content(), full.trailingHeaders()));
            }
        } else {
            if (msg instanceof HttpResponse response) {
                stripExtensions(response.headers());
            }
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        switch (evt) {
            case Http2GoAwayFrame goAway -> {
                // Sent to the streams above the GOAWAY's last stream id; the connection closes them next.
                goAway.release();
                if (!responded) {
                    ctx.fireExceptionCaught(new UnprocessedRequest(true));
                }
            }
            case Http2ResetFrame reset when reset.errorCode() == Http2Error.REFUSED_STREAM.code() && !responded ->
                    ctx.fireExceptionCaught(new UnprocessedRequest(false));
            case Http2ResetFrame reset -> {
                Http2Error error = Http2Error.valueOf(reset.errorCode());
                ctx.fireExceptionCaught(new IOException("the origin reset the stream ("
                        + (error == null ? "error " + reset.errorCode() : error.name()) + ")"));
            }
            default -> ctx.fireUserEventTriggered(evt);
        }
    }

    private static HttpHeaders stripExtensions(HttpHeaders headers) {
        for (HttpConversionUtil.ExtensionHeaderNames name : EXTENSION_HEADERS) {
            headers.remove(name.text());
        }
        return headers;
    }
}
