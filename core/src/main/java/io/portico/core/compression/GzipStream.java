package io.portico.core.compression;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip member (RFC 1952) written piece by piece: each piece is flushed ({@code SYNC_FLUSH}), so
 * that what the origin sent reaches the client without waiting for more, and the last piece ends
 * the stream with its checksum. Holds native memory until {@link #close()}.
 */
final class GzipStream implements CompressionStream {

    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    private static final int STEP = 8192;

    private final Deflater deflater;
    private final CRC32 crc = new CRC32();
    private boolean started;

    GzipStream(int level) {
        this.deflater = new Deflater(level, true);
    }

    @Override
    public ByteBuf encode(ByteBuf in, boolean last, ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(Math.max(64, in.readableBytes() / 2));
        if (!started) {
            out.writeBytes(HEADER);
            started = true;
        }
        if (in.isReadable()) {
            for (ByteBuffer part : in.nioBuffers()) {
                crc.update(part.duplicate());
                deflater.setInput(part);
                if (!last) {
                    deflate(out, Deflater.SYNC_FLUSH);
                } else {
                    deflate(out, Deflater.NO_FLUSH);
                }
            }
        }
        if (last) {
            deflater.finish();
            while (!deflater.finished()) {
                deflateOnce(out, Deflater.NO_FLUSH);
            }
            out.writeIntLE((int) crc.getValue());
            out.writeIntLE(deflater.getTotalIn());
        }
        return out;
    }

    /** Deflates all pending input: until a call leaves room in the output. */
    private void deflate(ByteBuf out, int flush) {
        while (deflateOnce(out, flush) || !deflater.needsInput()) {
            // more output pending
        }
    }

    /** One call; whether it filled the space it was given (then there may be more). */
    private boolean deflateOnce(ByteBuf out, int flush) {
        out.ensureWritable(STEP);
        int room = out.writableBytes();
        ByteBuffer target = out.internalNioBuffer(out.writerIndex(), room);
        int n = deflater.deflate(target, flush);
        out.writerIndex(out.writerIndex() + n);
        return n == room;
    }

    @Override
    public void close() {
        deflater.end();
    }
}
