package io.portico.core.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * On a plain listener, tells HTTP/2 with prior knowledge ({@code h2c}) from HTTP/1.1 by the first
 * bytes of the connection: the HTTP/2 connection preface ({@code PRI * HTTP/2.0...}) switches the
 * connection to HTTP/2; anything else leaves the HTTP/1.1 pipeline as it is.
 *
 * <p>It looks only at the first bytes: an HTTP/1.1 request differs from the preface by its first
 * or second byte, and then this handler removes itself, passing those bytes on untouched, so it
 * costs HTTP/1.1 one look at its first read.
 */
final class PriorKnowledge extends ByteToMessageDecoder {

    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Http2Server http2;

    PriorKnowledge(Http2Server http2) {
        this.http2 = http2;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int seen = Math.min(in.readableBytes(), PREFACE.length);
        for (int i = 0; i < seen; i++) {
            if (in.getByte(in.readerIndex() + i) != PREFACE[i]) {
                ctx.pipeline().remove(this);
                return;
            }
        }
        if (seen == PREFACE.length) {
            http2.takeOver(ctx);
            ctx.pipeline().remove(this);
        }
        // Else a prefix of the preface: wait for more bytes.
    }
}
