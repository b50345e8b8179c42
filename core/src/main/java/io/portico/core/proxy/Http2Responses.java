package io.portico.core.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Sends a response without a body on an HTTP/2 stream as a single HEADERS frame that ends the
 * stream.
 *
 * <p>The proxy writes a response's head and its end separately; Netty's frame codec turns those
 * into HEADERS and an empty DATA frame carrying END_STREAM. For most clients that is only a wasted
 * frame, but gRPC answers a failed call with "Trailers-Only" (the {@code grpc-status} in the one
 * HEADERS frame of the response), and a gRPC client reads HEADERS followed by an empty DATA frame
 * as a broken stream ({@code INTERNAL}). So a head is held until the next write or flush: an end
 * that follows at once, with no body and no trailers, goes out with it as one message.
 */
final class Http2Responses extends ChannelOutboundHandlerAdapter {

    private HttpResponse heldHead;
    private ChannelPromise heldPromise;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (heldHead != null) {
            HttpResponse head = heldHead;
            ChannelPromise headPromise = heldPromise;
            heldHead = null;
            heldPromise = null;
            if (msg instanceof LastHttpContent end && !end.content().isReadable() && end.trailingHeaders().isEmpty()) {
                end.release();
                FullHttpResponse whole = new DefaultFullHttpResponse(head.protocolVersion(), head.status(),
                        Unpooled.EMPTY_BUFFER, head.headers(), EmptyHttpHeaders.INSTANCE);
                ctx.write(whole, both(ctx, headPromise, promise));
                return;
            }
            ctx.write(head, headPromise);
        }
        if (msg instanceof HttpResponse head && !(msg instanceof FullHttpResponse)
                && head.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
            heldHead = head;
            heldPromise = promise;
            return;
        }
        ctx.write(msg, promise);
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
            ctx.write(heldHead, heldPromise);
            heldHead = null;
            heldPromise = null;
        }
    }

    /** A promise for one write that stands for two: each is completed with its outcome. */
    private static ChannelPromise both(ChannelHandlerContext ctx, ChannelPromise first, ChannelPromise second) {
        if (first.isVoid() && second.isVoid()) {
            return ctx.voidPromise();
        }
        ChannelPromise combined = ctx.newPromise();
        combined.addListener(f -> {
            for (ChannelPromise p : new ChannelPromise[] {first, second}) {
                if (p.isVoid()) {
                    continue;
                }
                if (f.isSuccess()) {
                    p.trySuccess();
                } else {
                    p.tryFailure(f.cause());
                }
            }
        });
        return combined;
    }
}
