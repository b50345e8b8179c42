package io.portico.core.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The client connection's clocks, first in its pipeline so that it sees raw bytes (on HTTP/2, one
 * per stream, seeing its frames; a stream opens with its whole head, so only the body clock runs):
 *
 * <ul>
 *   <li>between requests, a keep-alive connection may stay silent for the idle timeout, then it is
 *       closed quietly;
 *   <li>once the first byte of a request arrives, its whole head must arrive within the header
 *       timeout (this is what cuts off slowloris clients sending a byte now and then);
 *   <li>while a request body streams in, no pause may exceed the idle timeout.
 * </ul>
 *
 * <p>When a clock runs out it fires a {@link Expired} event down the pipeline; the
 * {@link ProxyHandler} answers it (408, or a plain close). While the proxy waits for the upstream,
 * no client clock runs: the upstream's timeouts decide.
 */
final class ClientTimeouts extends ChannelInboundHandlerAdapter {

    /** The event fired when a clock runs out. */
    enum Expired {
        /** Nothing arrived for the idle timeout between requests. */
        IDLE,
        /** A request head started but did not complete in time. */
        HEADER,
        /** A request body paused for longer than the idle timeout. */
        BODY
    }

    private enum State { IDLE, HEAD, BODY, WAITING }

    private final long headerTimeoutNanos;
    private final long idleTimeoutNanos;
    private final Runnable check = this::check;
    private ChannelHandlerContext ctx;
    private State state = State.WAITING;
    /** The current state has a clock, running out at {@link #deadlineNanos}. */
    private boolean running;
    private long deadlineNanos;
    /**
     * Never due after the deadline, and not rescheduled while it is not: a keep-alive connection
     * goes through every state for each request, and would otherwise schedule and cancel a task
     * three times per request.
     */
    private ScheduledFuture<?> timer;
    private long timerDueNanos;
    private long lastReadNanos;
    /** Between a read and the end of its batch of reads. */
    private boolean reading;
    /**
     * A clock was set during a read: the timer is armed when the batch ends, by when most requests
     * (a GET, or any HTTP/2 stream opened with END_STREAM) have arrived whole and need none.
     */
    private boolean armWhenReadEnds;

    ClientTimeouts(long headerTimeoutMillis, long idleTimeoutMillis) {
        this.headerTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(headerTimeoutMillis);
        this.idleTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMillis);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** The connection is ready for its next request. */
    void awaitingRequest() {
        enter(State.IDLE, idleTimeoutNanos);
    }

    /** A request head arrived; its body (if any) follows. */
    void headReceived() {
        lastReadNanos = System.nanoTime();
        enter(State.BODY, idleTimeoutNanos);
    }

    /** The request has been read whole; the upstream's clocks take over. */
    void requestReceived() {
        enter(State.WAITING, 0);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastReadNanos = System.nanoTime();
        reading = true;
        if (state == State.IDLE) {
            enter(State.HEAD, headerTimeoutNanos);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        reading = false;
        if (armWhenReadEnds) {
            armWhenReadEnds = false;
            if (running) {
                arm(System.nanoTime());
            }
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        // The connection became HTTP/2 or a WebSocket tunnel: other clocks take over.
        cancel();
    }

    private void enter(State next, long timeoutNanos) {
        state = next;
        running = timeoutNanos > 0;
        if (!running) {
            return;
        }
        long now = System.nanoTime();
        deadlineNanos = now + timeoutNanos;
        if (reading) {
            armWhenReadEnds = true;
        } else {
            arm(now);
        }
    }

    private void arm(long now) {
        if (timer != null && timerDueNanos - deadlineNanos <= 0) {
            return;
        }
        cancel();
        if (ctx.channel().isActive()) {
            schedule(now, deadlineNanos - now);
        }
    }

    private void schedule(long now, long delayNanos) {
        timerDueNanos = now + delayNanos;
        timer = ctx.executor().schedule(check, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void check() {
        timer = null;
        if (!running) {
            return;
        }
        // A body's clock restarts with every read.
        long deadline = state == State.BODY ? lastReadNanos + idleTimeoutNanos : deadlineNanos;
        long now = System.nanoTime();
        if (now - deadline < 0) {
            schedule(now, deadline - now);
            return;
        }
        State expired = state;
        state = State.WAITING;
        running = false;
        ctx.fireUserEventTriggered(switch (expired) {
            case IDLE -> Expired.IDLE;
            case HEAD -> Expired.HEADER;
            default -> Expired.BODY;
        });
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
