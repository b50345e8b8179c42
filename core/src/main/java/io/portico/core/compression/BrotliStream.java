package io.portico.core.compression;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.encoder.Encoder;
import com.aayushatharva.brotli4j.encoder.EncoderJNI;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * A Brotli stream (RFC 7932) written piece by piece through brotli4j's native encoder: each piece
 * is flushed so that it reaches the client at once, the last one ends the stream. Holds native
 * memory until {@link #close()}.
 */
final class BrotliStream implements CompressionStream {

    /** A 256 KB window: most of Brotli's gain on web content, at a bounded memory per response. */
    private static final int WINDOW_BITS = 18;
    private static final int INPUT_BUFFER = 16 * 1024;

    private final EncoderJNI.Wrapper encoder;

    BrotliStream(int quality) {
        try {
            this.encoder = new EncoderJNI.Wrapper(INPUT_BUFFER, quality, WINDOW_BITS, Encoder.Mode.TEXT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the native library loaded, so that Brotli can be offered. */
    static boolean available() {
        return Brotli4jLoader.isAvailable();
    }

    @Override
    public ByteBuf encode(ByteBuf in, boolean last, ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(Math.max(64, in.readableBytes() / 2));
        try {
            ByteBuffer input = encoder.getInputBuffer();
            int offset = in.readerIndex();
            int end = in.writerIndex();
            while (offset < end) {
                int n = Math.min(end - offset, input.capacity());
                input.clear();
                in.getBytes(offset, input.limit(n));
                encoder.push(EncoderJNI.Operation.PROCESS, n);
                drain(out, EncoderJNI.Operation.PROCESS);
                offset += n;
            }
            drain(out, last ? EncoderJNI.Operation.FINISH : EncoderJNI.Operation.FLUSH);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /** Moves the encoder's output to {@code out} until it needs more input (or, with FLUSH or FINISH, has flushed). */
    private void drain(ByteBuf out, EncoderJNI.Operation op) {
        boolean force = op != EncoderJNI.Operation.PROCESS;
        while (true) {
            if (!encoder.isSuccess()) {
                throw new IllegalStateException("brotli encoding failed");
            }
            if (encoder.hasMoreOutput()) {
                out.writeBytes(encoder.pull());
            } else if (encoder.hasRemainingInput()) {
                encoder.push(op, 0);
            } else if (force) {
                encoder.push(op, 0);
                force = false;
            } else {
                return;
            }
        }
    }

    @Override
    public void close() {
        encoder.destroy();
    }
}
