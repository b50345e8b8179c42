package io.portico.core.compression;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;

/**
 * Compresses responses on their way to the client, streaming: each body part is compressed and
 * flushed as it passes, so memory stays small and streamed responses keep flowing.
 *
 * <p>It sits in a client connection's pipeline between the HTTP codec and the proxy handler, and
 * does nothing until the proxy {@linkplain #arm arms} it for the response it is about to write
 * (with the route's policy and the request's {@code Accept-Encoding}). Then, on that response's
 * head, it decides: a response of a compressible type, at least the minimum size, not already
 * encoded, not a range and not {@code no-transform} gets {@code Vary: Accept-Encoding}, and, when
 * the client accepts a coding offered, {@code Content-Encoding: br} or {@code gzip} (the one it
 * wants most, Brotli on a tie), chunked framing in place of its length, a weakened {@code ETag},
 * and its body compressed.
 */
public final class ResponseCompressor extends ChannelOutboundHandlerAdapter {

    private static final AsciiString GZIP = AsciiString.cached("gzip");
    private static final AsciiString BR = AsciiString.cached("br");
    private static final AsciiString NO_TRANSFORM = AsciiString.cached("no-transform");

    private CompressionPolicy armedPolicy;
    private String armedAcceptEncoding;
    private boolean armedHead;
    private CompressionStream stream;

    /**
     * Considers the next response head written for compression.
     *
     * @param policy the route's policy
     * @param acceptEncoding the request's {@code Accept-Encoding}, or {@code null}
     * @param head whether the request is a {@code HEAD} (headers only, no body to compress)
     */
    public void arm(CompressionPolicy policy, String acceptEncoding, boolean head) {
        this.armedPolicy = policy;
        this.armedAcceptEncoding = acceptEncoding;
        this.armedHead = head;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response) {
            endStream();
            CompressionPolicy policy = armedPolicy;
            armedPolicy = null;
            // Whole responses are made by Portico itself (errors, redirects): small, sent as they are.
            if (policy != null && !(msg instanceof HttpContent)) {
                begin(policy, response);
            }
        } else if (stream != null && msg instanceof HttpContent content) {
            boolean last = content instanceof LastHttpContent;
            ByteBuf compressed;
            try {
                compressed = stream.encode(content.content(), last, ctx.alloc());
            } finally {
                if (last) {
                    endStream();
                }
            }
            HttpContent replaced;
            if (last) {
                LastHttpContent end = new DefaultLastHttpContent(compressed);
                end.trailingHeaders().set(((LastHttpContent) content).trailingHeaders());
                replaced = end;
            } else {
                replaced = new DefaultHttpContent(compressed);
            }
            content.release();
            ctx.write(replaced, promise);
            return;
        }
        ctx.write(msg, promise);
    }

    private void begin(CompressionPolicy policy, HttpResponse response) {
        int status = response.status().code();
        HttpHeaders headers = response.headers();
        if (status < 200 || status == 204 || status == 206 || status == 304
                || !policy.compressible(headers.get(HttpHeaderNames.CONTENT_TYPE))
                || headers.contains(HttpHeaderNames.CONTENT_RANGE)
                || (headers.contains(HttpHeaderNames.CONTENT_ENCODING)
                    && !headers.containsValue(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.IDENTITY, true))
                || headers.containsValue(HttpHeaderNames.CACHE_CONTROL, NO_TRANSFORM, true)) {
            return;
        }
        if (HttpUtil.getContentLength(response, Long.MAX_VALUE) < policy.minSize()) {
            return;
        }
        addVary(headers);
        if (armedHead) {
            return;
        }
        CompressionStream chosen = policy.streamFor(armedAcceptEncoding);
        if (chosen == null) {
            return;
        }
        headers.remove(HttpHeaderNames.CONTENT_LENGTH);
        headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        headers.set(HttpHeaderNames.CONTENT_ENCODING, chosen instanceof BrotliStream ? BR : GZIP);
        String etag = headers.get(HttpHeaderNames.ETAG);
        if (etag != null && !etag.startsWith("W/")) {
            headers.set(HttpHeaderNames.ETAG, "W/" + etag);
        }
        stream = chosen;
    }

    private static void addVary(HttpHeaders headers) {
        for (String vary : headers.getAll(HttpHeaderNames.VARY)) {
            for (String name : vary.split(",")) {
                String n = name.trim();
                if (n.equals("*") || n.equalsIgnoreCase("accept-encoding")) {
                    return;
                }
            }
        }
        headers.add(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING);
    }

    private void endStream() {
        if (stream != null) {
            stream.close();
            stream = null;
        }
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        endStream();
        ctx.close(promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        endStream();
    }
}
