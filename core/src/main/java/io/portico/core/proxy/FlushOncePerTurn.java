package io.portico.core.proxy;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Turns the flushes of one turn of the event loop into one: the first flush schedules a task that
 * flushes when the event loop has handled the I/O at hand; later flushes before it runs are
 * already covered.
 *
 * <p>On an HTTP/2 connection, responses are written as the origins' answers are read, that is
 * outside the connection's own reads, and each stream flushes its response on its own: without
 * this, one TLS record and one {@code write} system call per response. With it, all the responses
 * that arrived in one turn leave together.
 *
 * <p>Unlike Netty's {@code FlushConsolidationHandler}, it keeps no state about reads in progress:
 * every flush is followed by a real one within the turn, whatever happens meanwhile, so a write
 * that the peer waits for (a {@code WINDOW_UPDATE} that lets a client go on uploading) is never
 * left unflushed until the peer sends something else. Not sharable; used on the event loop only.
 */
final class FlushOncePerTurn extends ChannelDuplexHandler {

    private final Runnable flushTask = this::flushNow;
    private ChannelHandlerContext ctx;
    private boolean scheduled;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (!scheduled) {
            scheduled = true;
            ctx.executor().execute(flushTask);
        }
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        flushNow();
        ctx.close(promise);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (!ctx.channel().isWritable()) {
            // What is buffered is over the high-water mark: send it now rather than later.
            flushNow();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        flushNow();
    }

    private void flushNow() {
        scheduled = false;
        ctx.flush();
    }
}
