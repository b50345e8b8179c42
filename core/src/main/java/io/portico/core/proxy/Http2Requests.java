package io.portico.core.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.HttpConversionUtil;

/**
 * Makes the request of an HTTP/2 stream, as Netty's frame-to-object codec hands it over, look like
 * one read from an HTTP/1.1 connection.
 *
 * <p>The codec already turned {@code :authority} into {@code Host} (a {@code host} header that
 * disagrees with it fails the stream) and added {@code Transfer-Encoding: chunked} to a request
 * with a body but no length. Here its own {@code x-http2-*} headers (scheme, stream id, and for
 * {@code CONNECT} path and protocol) are removed, so they never reach an origin (those a client
 * sends itself the codec drops), and a request that came whole (HEADERS with END_STREAM) is split
 * into its head and an empty end, as the proxy relays a head and its body separately.
 */
final class Http2Requests extends ChannelInboundHandlerAdapter {

    private static final HttpConversionUtil.ExtensionHeaderNames[] EXTENSIONS = HttpConversionUtil.ExtensionHeaderNames.values();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        HttpHeaders headers = request.headers();
        for (HttpConversionUtil.ExtensionHeaderNames name : EXTENSIONS) {
            headers.remove(name.text());
        }
        if (request instanceof FullHttpRequest whole) {
            HttpRequest head = new DefaultHttpRequest(whole.protocolVersion(), whole.method(), whole.uri(), headers);
            whole.release();
            ctx.fireChannelRead(head);
            ctx.fireChannelRead(LastHttpContent.EMPTY_LAST_CONTENT);
            return;
        }
        ctx.fireChannelRead(request);
    }
}
