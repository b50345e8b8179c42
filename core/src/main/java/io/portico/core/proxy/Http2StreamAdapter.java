package io.portico.core.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
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
 */
final class Http2StreamAdapter extends ChannelInboundHandlerAdapter {

    private static final HttpConversionUtil.ExtensionHeaderNames[] EXTENSION_HEADERS =
            HttpConversionUtil.ExtensionHeaderNames.values();

    /**
     * The origin did not process the request: it was on a stream above a {@code GOAWAY}'s last
     * stream id, or refused with {@code REFUSED_STREAM}. Sending it again is safe, whatever its method.
     */
    static final class UnprocessedRequest extends IOException {
        UnprocessedRequest(String message) {
            super(message);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
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
                goAway.release();
                ctx.fireExceptionCaught(new UnprocessedRequest("the origin is going away (GOAWAY) and did not process the request"));
            }
            case Http2ResetFrame reset when reset.errorCode() == Http2Error.REFUSED_STREAM.code() ->
                    ctx.fireExceptionCaught(new UnprocessedRequest("the origin refused the stream (REFUSED_STREAM)"));
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
