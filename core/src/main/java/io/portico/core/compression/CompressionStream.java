package io.portico.core.compression;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** A compressed stream written piece by piece, each piece flushed; holds native memory until closed. */
interface CompressionStream extends AutoCloseable {

    /**
     * Compresses {@code in} (neither consumed nor released), ending the stream when {@code last}.
     *
     * @return the compressed bytes, possibly none
     */
    ByteBuf encode(ByteBuf in, boolean last, ByteBufAllocator alloc);

    @Override
    void close();
}
